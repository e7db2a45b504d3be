// The example's own output (exec fails the build first if spark-submit exits non-zero)
def log = new File(basedir, "target/spark-submit.log").getText("UTF-8")
assert log.contains("Spark master local-cluster[2,1,1024]") : log
def purity = (log =~ /Cluster purity on 200 test digits: ([0-9.]+)/)
assert purity.find() : log
assert Double.parseDouble(purity.group(1)) >= 0.45 : log
// nothing of this library came from the distribution: its classes are the application jar's
assert !new File(basedir, "target/spark/jars").list().any { it.contains("sagemaker-beam") }
return true

// What the README's dependency lines put on a user's classpath (dependency:list, after Maven's
// conflict resolution): one AWS SDK version, the one the library is built with (that of its
// SageMaker client), and no Kinesis client library (it brought an unshaded Guava over Spark's).
def lines = new File(basedir, "target/resolved-dependencies.txt").readLines("UTF-8")
        .collect { it.trim() }
def sdk = lines.findAll { it.startsWith("software.amazon.awssdk:") }
def version = { String line -> line.split(":")[3] }
def sagemaker = sdk.find { it.startsWith("software.amazon.awssdk:sagemaker:") }
assert sagemaker != null : lines.join("\n")
def others = sdk.findAll { version(it) != version(sagemaker) }
assert others.isEmpty() : "AWS SDK artifacts of another version than " + version(sagemaker) + ":\n" + others.join("\n")
assert !lines.any { it.startsWith("software.amazon.kinesis:") } : lines.join("\n")
return true

package dev.sagemakerbeam.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link RecordCodecBenchmark} and prints rows/s, MB/s and each codec figure as a share of its
 * same-run ceiling, against the targets (dense encode >= 50%, decode >= 40%).
 *
 * <p>Usage (from the repository root): {@code java -cp tests/target/benchmarks.jar
 * dev.sagemakerbeam.benchmarks.RecordCodecReport [JMH options, e.g. -f 1 -wi 3 -i 5 -w 1s -r 1s]}.
 */
public final class RecordCodecReport {
  private RecordCodecReport() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .parent(cli)
                    .include(RecordCodecBenchmark.class.getName() + ".*")
                    .build())
            .run();

    Map<String, Double> mean = new HashMap<>();
    Map<String, Double> best = new HashMap<>();
    for (RunResult result : results) {
      String method = result.getParams().getBenchmark();
      String key =
          result.getParams().getParam("shape")
              + "/"
              + method.substring(method.lastIndexOf('.') + 1);
      mean.put(key, result.getPrimaryResult().getScore());
      double max = 0;
      for (BenchmarkResult fork : result.getBenchmarkResults()) {
        for (IterationResult iteration : fork.getIterationResults()) {
          max = Math.max(max, iteration.getPrimaryResult().getScore());
        }
      }
      best.put(key, max);
    }

    System.out.println();
    System.out.println(
        "Amazon Record codec, rows/s and MB/s (MB = 10^6 bytes; codec MB/s counts encoded"
            + " payload bytes, ceiling MB/s counts float32 bytes).");
    System.out.println(
        "'mean' is JMH's score; 'best' is the fastest measured iteration, which other load on"
            + " the machine disturbs least.");
    for (String statistic : new String[] {"mean", "best"}) {
      Map<String, Double> rowsPerSecond = statistic.equals("mean") ? mean : best;
      System.out.printf(
          "%n%-5s %-12s %-7s %14s %10s %16s %10s %8s %8s%n",
          statistic,
          "shape",
          "op",
          "codec rows/s",
          "codec MB/s",
          "ceiling rows/s",
          "ceil MB/s",
          "ratio",
          "target");
      for (String shape : new String[] {"dense784", "mnistSparse", "sparse100k"}) {
        double payload = RecordCodecBenchmark.meanEncodedBytes(shape);
        double floats = RecordCodecBenchmark.meanFloatBytes(shape);
        for (String op : new String[] {"encode", "decode"}) {
          Double codec = rowsPerSecond.get(shape + "/" + op);
          Double ceiling = rowsPerSecond.get(shape + "/" + op + "Ceiling");
          if (codec == null || ceiling == null) {
            continue;
          }
          String target =
              !shape.equals("dense784") ? "-" : op.equals("encode") ? ">= 50%" : ">= 40%";
          System.out.printf(
              "%-5s %-12s %-7s %14.0f %10.1f %16.0f %10.1f %7.1f%% %8s%n",
              statistic,
              shape,
              op,
              codec,
              codec * payload / 1e6,
              ceiling,
              ceiling * floats / 1e6,
              100 * codec / ceiling,
              target);
        }
      }
    }
    System.out.printf(
        "%nEncode beside the original SageMaker Spark library's design (a generated Record message"
            + " per row, as its ProtobufConverter builds it; same bytes):%n");
    System.out.printf(
        "%-5s %-12s %14s %18s %8s%n", "", "shape", "codec rows/s", "generated rows/s", "speedup");
    for (String statistic : new String[] {"mean", "best"}) {
      Map<String, Double> rowsPerSecond = statistic.equals("mean") ? mean : best;
      for (String shape : new String[] {"dense784", "mnistSparse", "sparse100k"}) {
        Double codec = rowsPerSecond.get(shape + "/encode");
        Double generated = rowsPerSecond.get(shape + "/encodeGeneratedMessage");
        if (codec != null && generated != null) {
          System.out.printf(
              "%-5s %-12s %14.0f %18.0f %7.1fx%n",
              statistic, shape, codec, generated, codec / generated);
        }
      }
    }
    System.out.println(
        "(mean encoded payload bytes per row: dense784 "
            + Math.round(RecordCodecBenchmark.meanEncodedBytes("dense784"))
            + ", mnistSparse "
            + Math.round(RecordCodecBenchmark.meanEncodedBytes("mnistSparse"))
            + ", sparse100k "
            + Math.round(RecordCodecBenchmark.meanEncodedBytes("sparse100k"))
            + ")");
  }
}

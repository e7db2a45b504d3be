package dev.sagemakerbeam.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time used by this JVM (the Spark driver, with SageMaker Local when it runs here) and by its
 * descendant processes (a {@code local-cluster}'s executor JVMs) between {@link #start} and {@link
 * #used}, from Linux's {@code /proc/<pid>/stat}. On a machine whose cores every part shares, a
 * run's wall time moves with whatever else runs, its CPU time much less: the cost of a fault is the
 * CPU it adds per row. A process that ended before {@link #used} (an executor killed mid-run) is
 * not counted, so a run with a kill counts less than it used. Where there is no {@code /proc},
 * nothing is counted ({@link Used#describe} says so).
 */
final class CpuMeter {
  /** Clock ticks per second of {@code /proc/<pid>/stat}'s times: USER_HZ, 100 on Linux. */
  private static final double TICKS_PER_SECOND = 100;

  private final long self;
  private final Map<Long, Long> startTicks;

  private CpuMeter(long self, Map<Long, Long> startTicks) {
    this.self = self;
    this.startTicks = startTicks;
  }

  static CpuMeter start() {
    long self = ProcessHandle.current().pid();
    return new CpuMeter(self, ticks(self));
  }

  /** CPU seconds used since {@link #start}, by this JVM and by the others. */
  Used used() {
    Map<Long, Long> now = ticks(self);
    if (now.isEmpty()) {
      return new Used(Double.NaN, Double.NaN);
    }
    long driver = 0;
    long others = 0;
    for (Map.Entry<Long, Long> e : now.entrySet()) {
      long delta = e.getValue() - startTicks.getOrDefault(e.getKey(), 0L);
      if (e.getKey() == self) {
        driver += delta;
      } else {
        others += delta;
      }
    }
    return new Used(driver / TICKS_PER_SECOND, others / TICKS_PER_SECOND);
  }

  /** CPU seconds of the driver JVM and of the executor JVMs. */
  record Used(double driverSeconds, double executorSeconds) {
    String describe(long rows) {
      if (Double.isNaN(driverSeconds)) {
        return "CPU: not measured (no /proc)";
      }
      return String.format(
          "CPU: driver and SageMaker Local %.1f s, executors %.1f s, %.2f ms per 1,000 rows",
          driverSeconds, executorSeconds, 1e6 * (driverSeconds + executorSeconds) / rows);
    }
  }

  /** user + system ticks of {@code self} and each of its live descendants, by pid. */
  private static Map<Long, Long> ticks(long self) {
    Map<Long, Long> ticks = new HashMap<>();
    addTicks(self, ticks);
    ProcessHandle.current().descendants().forEach(p -> addTicks(p.pid(), ticks));
    return ticks;
  }

  private static void addTicks(long pid, Map<Long, Long> into) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command, which is in parentheses and may hold spaces
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command
      into.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    } catch (IOException | RuntimeException e) {
      // no /proc, or the process ended meanwhile: not counted
    }
  }
}

package dev.sagemakerbeam.sdk;

import dev.sagemakerbeam.transforms.config.SageMakerClientConfiguration;
import dev.sagemakerbeam.transforms.config.SageMakerClients;
import dev.sagemakerbeam.transforms.inference.InferenceBatchEngine;
import dev.sagemakerbeam.transforms.inference.InferenceOutcomeReceiver;
import dev.sagemakerbeam.transforms.inference.InferenceSettings;
import dev.sagemakerbeam.transforms.inference.InvocationFailure;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;

/**
 * Runs on the executors: one partition's rows through the shared {@link InferenceBatchEngine}
 * (batching, bounded concurrency, retries), lazily as Spark pulls output rows. Rows come out in the
 * order their batches are answered. At the end of the task its engine's counts go to the model's
 * {@link InferenceMetrics}.
 */
final class PartitionInference implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final SageMakerClientConfiguration config;
  private final InferenceSettings settings;
  private final RequestRowSerializer serializer;
  private final ResponseRowDeserializer deserializer;
  private final boolean prependInputRows;
  private final boolean keepFailedRows;
  private final InferenceMetrics metrics;

  PartitionInference(
      SageMakerClientConfiguration config,
      InferenceSettings settings,
      RequestRowSerializer serializer,
      ResponseRowDeserializer deserializer,
      boolean prependInputRows,
      boolean keepFailedRows,
      InferenceMetrics metrics) {
    this.config = config;
    this.settings = settings;
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.prependInputRows = prependInputRows;
    this.keepFailedRows = keepFailedRows;
    this.metrics = metrics;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    SageMakerRuntimeAsyncClient client =
        SageMakerClients.runtimeAsync(config, settings.maxInFlight());
    InferenceBatchEngine<Row, Row> engine =
        new InferenceBatchEngine<>(settings, client, serializer, deserializer);
    TaskContext task = TaskContext.get();
    Runnable close =
        () -> {
          engine.close();
          client.close();
          if (metrics != null) {
            metrics.add(engine.stats());
          }
        };
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) context -> close.run());
    }
    int resultWidth = deserializer.schema().fields().length;
    ArrayDeque<Row> ready = new ArrayDeque<>();
    InferenceOutcomeReceiver<Row, Row> receiver =
        new InferenceOutcomeReceiver<>() {
          @Override
          public void onSuccess(Row element, Object tag, Row prediction) {
            ready.add(combine(element, prediction, resultWidth, null));
          }

          @Override
          public void onFailure(Row element, Object tag, InvocationFailure failure) {
            if (!keepFailedRows) {
              throw new EndpointInvocationException(
                  "InvokeEndpoint on endpoint "
                      + settings.endpointName()
                      + " failed for a row: "
                      + failure
                      + "; set modelErrorColumnName to keep failed rows with the error"
                      + " instead of failing the transform");
            }
            ready.add(combine(element, null, resultWidth, failure.toString()));
          }
        };
    return new Iterator<>() {
      private boolean flushed;

      @Override
      public boolean hasNext() {
        try {
          while (ready.isEmpty() && !flushed) {
            if (input.hasNext()) {
              engine.add(input.next(), null, receiver);
            } else {
              engine.flush(receiver);
              flushed = true;
              if (task == null) {
                close.run();
              }
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "interrupted while calling endpoint " + settings.endpointName(), e);
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  private Row combine(Row input, Row prediction, int resultWidth, String error) {
    return combine(input, prediction, resultWidth, error, prependInputRows, keepFailedRows);
  }

  /**
   * The output row: the input's columns (when prepended), the prediction's (null when none) and the
   * error column (when kept).
   */
  static Row combine(
      Row input,
      Row prediction,
      int resultWidth,
      String error,
      boolean prependInputRows,
      boolean keepFailedRows) {
    int inputWidth = prependInputRows ? input.length() : 0;
    Object[] values = new Object[inputWidth + resultWidth + (keepFailedRows ? 1 : 0)];
    for (int i = 0; i < inputWidth; i++) {
      values[i] = input.get(i);
    }
    if (prediction != null) {
      for (int i = 0; i < resultWidth; i++) {
        values[inputWidth + i] = prediction.get(i);
      }
    }
    if (keepFailedRows) {
      values[values.length - 1] = error;
    }
    return RowFactory.create(values);
  }

  /** A row the endpoint failed on, when failed rows are not kept. */
  static final class EndpointInvocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EndpointInvocationException(String message) {
      super(message);
    }
  }
}

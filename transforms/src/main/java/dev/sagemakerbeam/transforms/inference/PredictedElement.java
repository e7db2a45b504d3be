package dev.sagemakerbeam.transforms.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;

/** An input element with the prediction the endpoint made for it. */
public final class PredictedElement<T, R> {
  private final T input;
  private final R prediction;

  public PredictedElement(T input, R prediction) {
    this.input = input;
    this.prediction = prediction;
  }

  public T input() {
    return input;
  }

  public R prediction() {
    return prediction;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PredictedElement)) {
      return false;
    }
    PredictedElement<?, ?> p = (PredictedElement<?, ?>) o;
    return Objects.deepEquals(input, p.input) && Objects.deepEquals(prediction, p.prediction);
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, prediction);
  }

  @Override
  public String toString() {
    return "PredictedElement{input=" + input + ", prediction=" + prediction + "}";
  }

  /** The coder of {@link PredictedElement}: the input's coder, then the prediction's. */
  public static <T, R> Coder<PredictedElement<T, R>> coder(
      Coder<T> inputCoder, Coder<R> predictionCoder) {
    return new PredictedElementCoder<>(inputCoder, predictionCoder);
  }

  static final class PredictedElementCoder<T, R> extends StructuredCoder<PredictedElement<T, R>> {
    private static final long serialVersionUID = 1L;
    private final Coder<T> inputCoder;
    private final Coder<R> predictionCoder;

    PredictedElementCoder(Coder<T> inputCoder, Coder<R> predictionCoder) {
      this.inputCoder = inputCoder;
      this.predictionCoder = predictionCoder;
    }

    @Override
    public void encode(PredictedElement<T, R> value, OutputStream out) throws IOException {
      inputCoder.encode(value.input, out);
      predictionCoder.encode(value.prediction, out);
    }

    @Override
    public PredictedElement<T, R> decode(InputStream in) throws IOException {
      T input = inputCoder.decode(in);
      return new PredictedElement<>(input, predictionCoder.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Arrays.asList(inputCoder, predictionCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "input coder must be deterministic", inputCoder);
      verifyDeterministic(this, "prediction coder must be deterministic", predictionCoder);
    }
  }
}

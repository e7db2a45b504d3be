package dev.sagemakerbeam.transforms.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StructuredCoder;

/** An input element the endpoint gave no prediction for, with the reason. */
public final class FailedElement<T> {
  private final T input;
  private final InvocationFailure failure;

  public FailedElement(T input, InvocationFailure failure) {
    this.input = input;
    this.failure = failure;
  }

  public T input() {
    return input;
  }

  public InvocationFailure failure() {
    return failure;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FailedElement)) {
      return false;
    }
    FailedElement<?> f = (FailedElement<?>) o;
    return Objects.deepEquals(input, f.input) && Objects.equals(failure, f.failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, failure);
  }

  @Override
  public String toString() {
    return "FailedElement{input=" + input + ", failure=" + failure + "}";
  }

  /** The coder of {@link FailedElement}: the input's coder, then the failure. */
  public static <T> Coder<FailedElement<T>> coder(Coder<T> inputCoder) {
    return new FailedElementCoder<>(inputCoder);
  }

  static final class FailedElementCoder<T> extends StructuredCoder<FailedElement<T>> {
    private static final long serialVersionUID = 1L;
    private static final Coder<InvocationFailure> FAILURE_CODER =
        SerializableCoder.of(InvocationFailure.class);
    private final Coder<T> inputCoder;

    FailedElementCoder(Coder<T> inputCoder) {
      this.inputCoder = inputCoder;
    }

    @Override
    public void encode(FailedElement<T> value, OutputStream out) throws IOException {
      inputCoder.encode(value.input, out);
      FAILURE_CODER.encode(value.failure, out);
    }

    @Override
    public FailedElement<T> decode(InputStream in) throws IOException {
      T input = inputCoder.decode(in);
      return new FailedElement<>(input, FAILURE_CODER.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Arrays.asList(inputCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "failures are Java-serialized");
    }
  }
}

package dev.sagemakerbeam.transforms.inference;

/**
 * Receives each element's outcome from {@link InferenceBatchEngine}, always on the thread that
 * called {@code add} or {@code flush}. {@code tag} is what was passed with the element.
 */
public interface InferenceOutcomeReceiver<T, R> {
  void onSuccess(T element, Object tag, R prediction);

  void onFailure(T element, Object tag, InvocationFailure failure);
}

package dev.sagemakerbeam.transforms.config;

import java.util.Optional;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;

/**
 * Hands an InvokeEndpoint request's body to the async HTTP client as the request's own bytes.
 *
 * <p>Left alone, the async client turns the marshalled body back into a stream and reads that into
 * a new array (through a growing buffer) before sending it: for a 6 MB batch that is several copies
 * of the payload on every call. Given an {@link AsyncRequestBody} over the request's bytes, the SDK
 * signs and sends them as they are. Measured on the InvokeEndpoint benchmark (16 requests of 316 KB
 * in flight), this takes the process from about 1.3 to 1.1 cores for the same rows per second. The
 * bytes are not copied, so the caller must not change them while the call runs; {@code
 * InferenceBatchEngine} never does.
 */
final class InvokeEndpointBodyInterceptor implements ExecutionInterceptor {
  static final InvokeEndpointBodyInterceptor INSTANCE = new InvokeEndpointBodyInterceptor();

  private InvokeEndpointBodyInterceptor() {}

  @Override
  public Optional<AsyncRequestBody> modifyAsyncHttpContent(
      Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
    if (context.request() instanceof InvokeEndpointRequest) {
      InvokeEndpointRequest request = (InvokeEndpointRequest) context.request();
      if (request.body() != null) {
        return Optional.of(AsyncRequestBody.fromByteBufferUnsafe(request.body().asByteBuffer()));
      }
    }
    return context.asyncRequestBody();
  }
}

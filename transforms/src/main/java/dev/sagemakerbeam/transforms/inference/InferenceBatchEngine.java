package dev.sagemakerbeam.transforms.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

/**
 * The request batching and retry engine behind {@code InvokeEndpoint} (Beam) and the Spark model's
 * per-partition inference: one implementation, independent of Beam's DoFn API.
 *
 * <p>{@link #add} packs serialized rows into a request body until the next row would pass the byte
 * limit (prefix, separators, suffix and framing included) or the record limit, then sends it on the
 * async runtime client. The client has {@code maxInFlight} connections (as {@code
 * SageMakerClients.runtimeAsync(SageMakerClientConfiguration, settings.maxInFlight())} builds it),
 * so at most that many requests are on the wire; the engine hands it one batch more, which the
 * client signs and keeps waiting for the next free connection. A connection freed by an answer then
 * carries the next request at once instead of after the caller's thread wakes up and signs it
 * (about 2% more rows per second at 16 in flight on the InvokeEndpoint benchmark). {@code add}
 * blocks while {@code maxInFlight + 1} batches are out, so memory stays within {@code (maxInFlight
 * + 1) x maxPayloadBytes} plus the body being packed. {@link #flush} sends the partial batch and
 * waits for every outstanding one.
 *
 * <p>Failures: throttling (400 ThrottlingException, 429), ModelNotReady, 5xx, connection errors and
 * timeouts are retried per batch with exponential backoff and full jitter (the AWS SDK's {@link
 * BackoffStrategy#exponentialDelay}), at most {@code maxAttempts} attempts and no retry started
 * after {@code maxRetryTime}. Validation errors and ModelError are not retried. A payload-too-large
 * answer splits the batch in two halves sent one after the other; a single row too large fails. A
 * ModelError whose original status is 4xx (the model refused the content, e.g. one row with the
 * wrong feature count) splits the batch the same way until the rows at fault stand alone, so the
 * other rows succeed and each bad row fails with its own error, within an {@link IsolationBudget}
 * of extra requests. The SDK's own retries are off on the runtime client because they retry a whole
 * call blindly: this engine needs per-batch decisions (split, count throttles, give up by time).
 *
 * <p>A batch that gives up on connection failures (refused, connect timeout, no route, unknown
 * host, no connection acquired) marks the endpoint unreachable: for {@link #UNREACHABLE_COOL_DOWN}
 * after that, batches (and retries of those in flight) fail at once with that reason instead of
 * each spending its attempts on connect timeouts, so a dead endpoint costs about one batch's
 * attempts and backoff rather than one connect timeout per attempt of every queued batch. An answer
 * from the endpoint clears the mark.
 *
 * <p>Every element added is handed exactly once to the receiver as a success or a failure, always
 * on the calling thread. Not thread-safe: one engine per task/DoFn instance.
 */
public final class InferenceBatchEngine<T, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceBatchEngine.class);

  /**
   * Batches handed to the client beyond its {@code maxInFlight} connections; see the class comment.
   */
  static final int QUEUED_AT_CLIENT = 1;

  /** How long an endpoint found unreachable fails batches without trying it again. */
  static final Duration UNREACHABLE_COOL_DOWN = Duration.ofSeconds(30);

  private static final Pattern TOO_LARGE_MESSAGE =
      Pattern.compile(
          "(?i).*(content length exceeded|payload.*(too large|exceed)|too large).*",
          Pattern.DOTALL);

  private final InferenceSettings settings;
  private final SageMakerRuntimeAsyncClient client;
  private final RequestSerializer<T> serializer;
  private final ResponseDeserializer<R> deserializer;
  private final BackoffStrategy backoff;
  private final byte[] prefix;
  private final byte[] separator;
  private final byte[] suffix;

  private final Semaphore permits;

  /** Set when a batch gave up on connection failures; see the class comment. */
  private volatile Unreachable unreachable;

  private record Unreachable(String reason, long sinceNanos) {}

  private final AtomicInteger inFlight = new AtomicInteger();
  private final BlockingQueue<List<Outcome<T, R>>> completed = new LinkedBlockingQueue<>();
  private final InferenceStats stats = new InferenceStats();

  // the batch being packed
  private final List<Entry<T>> packing = new ArrayList<>();
  private byte[] body;
  private int bodyLength;
  private boolean closed;

  public InferenceBatchEngine(
      InferenceSettings settings,
      SageMakerRuntimeAsyncClient client,
      RequestSerializer<T> serializer,
      ResponseDeserializer<R> deserializer) {
    this.settings = settings;
    this.client = client;
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.backoff = BackoffStrategy.exponentialDelay(settings.baseBackoff(), settings.maxBackoff());
    this.prefix = serializer.bodyPrefix();
    this.separator = serializer.rowSeparator();
    this.suffix = serializer.bodySuffix();
    this.permits = new Semaphore(settings.maxInFlight() + QUEUED_AT_CLIENT);
    if (prefix.length + suffix.length >= settings.maxPayloadBytes()) {
      throw new IllegalArgumentException(
          "the serializer's body prefix and suffix take "
              + (prefix.length + suffix.length)
              + " bytes, leaving no room under maxPayloadBytes "
              + settings.maxPayloadBytes());
    }
    this.body = new byte[Math.min(settings.maxPayloadBytes(), 64 * 1024)];
    startBody();
  }

  public InferenceStats stats() {
    return stats;
  }

  public InferenceSettings settings() {
    return settings;
  }

  /**
   * Batches sent and not yet answered for good (at most {@code maxInFlight + 1}, see the class
   * comment).
   */
  public int inFlight() {
    return inFlight.get();
  }

  /** Rows packed and not yet sent. */
  public int pendingRows() {
    return packing.size();
  }

  /**
   * Adds one element; may send a full batch (waiting for an in-flight slot) and hands finished
   * outcomes to {@code receiver}.
   */
  public void add(T element, Object tag, InferenceOutcomeReceiver<T, R> receiver)
      throws InterruptedException {
    checkOpen();
    byte[] row;
    try {
      row = serializer.serialize(element);
    } catch (RuntimeException e) {
      stats.failedRows.increment();
      receiver.onFailure(
          element,
          tag,
          InvocationFailure.of(
              InvocationFailure.SERIALIZATION_ERROR,
              "the request serializer "
                  + serializer.getClass().getSimpleName()
                  + " rejected the element: "
                  + e,
              0));
      drain(receiver);
      return;
    }
    int alone = prefix.length + row.length + suffix.length;
    if (alone > settings.maxPayloadBytes()) {
      stats.failedRows.increment();
      receiver.onFailure(
          element,
          tag,
          InvocationFailure.of(
              InvocationFailure.ELEMENT_TOO_LARGE,
              "the element serializes to "
                  + alone
                  + " bytes as a request on its own ("
                  + serializer.contentType()
                  + ", framing included), more than maxPayloadBytes "
                  + settings.maxPayloadBytes()
                  + "; raise maxPayloadBytes (at most "
                  + InferenceSettings.SAGEMAKER_MAX_PAYLOAD_BYTES
                  + ") or make the element smaller",
              0));
      drain(receiver);
      return;
    }
    int withRow =
        bodyLength + (packing.isEmpty() ? 0 : separator.length) + row.length + suffix.length;
    if (!packing.isEmpty() && withRow > settings.maxPayloadBytes()) {
      sendPacked(receiver);
    }
    if (!packing.isEmpty()) {
      append(separator);
    }
    int offset = bodyLength;
    append(row);
    packing.add(new Entry<>(element, tag, offset, row.length));
    if (packing.size() >= settings.maxRecordsPerRequest()) {
      sendPacked(receiver);
    }
    drain(receiver);
  }

  /**
   * Sends the partial batch and waits until every batch is answered, handing outcomes to {@code
   * receiver}.
   */
  public void flush(InferenceOutcomeReceiver<T, R> receiver) throws InterruptedException {
    checkOpen();
    if (!packing.isEmpty()) {
      sendPacked(receiver);
    }
    while (inFlight.get() > 0) {
      List<Outcome<T, R>> outcomes = completed.poll(100, TimeUnit.MILLISECONDS);
      if (outcomes != null) {
        deliver(outcomes, receiver);
      }
    }
    drain(receiver);
  }

  /** Hands outcomes that have arrived to {@code receiver} without waiting. */
  public void drain(InferenceOutcomeReceiver<T, R> receiver) {
    List<Outcome<T, R>> outcomes;
    while ((outcomes = completed.poll()) != null) {
      deliver(outcomes, receiver);
    }
  }

  /**
   * Stops accepting elements. Batches still in flight complete in the background and their outcomes
   * are dropped; call {@link #flush} first to receive them. Does not close the client.
   */
  @Override
  public void close() {
    closed = true;
    packing.clear();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this InferenceBatchEngine is closed");
    }
  }

  private void deliver(List<Outcome<T, R>> outcomes, InferenceOutcomeReceiver<T, R> receiver) {
    for (Outcome<T, R> o : outcomes) {
      if (o.failure == null) {
        receiver.onSuccess(o.entry.element, o.entry.tag, o.prediction);
      } else {
        receiver.onFailure(o.entry.element, o.entry.tag, o.failure);
      }
    }
  }

  // ---- packing ----

  private void startBody() {
    bodyLength = 0;
    append(prefix);
  }

  private void append(byte[] bytes) {
    int need = bodyLength + bytes.length;
    if (need > body.length) {
      body =
          Arrays.copyOf(
              body, Math.max(need, Math.min(body.length * 2, settings.maxPayloadBytes())));
    }
    System.arraycopy(bytes, 0, body, bodyLength, bytes.length);
    bodyLength += bytes.length;
  }

  private void sendPacked(InferenceOutcomeReceiver<T, R> receiver) throws InterruptedException {
    append(suffix);
    Batch<T> batch = new Batch<>(Arrays.copyOf(body, bodyLength), new ArrayList<>(packing));
    packing.clear();
    startBody();
    // wait for a slot, handing over outcomes meanwhile so the caller's outputs keep flowing
    while (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
      drain(receiver);
    }
    inFlight.incrementAndGet();
    stats.batchesSent.increment();
    stats.batchBytesSent.add(batch.body.length);
    attempt(batch);
  }

  // ---- sending and retrying (after the first attempt, runs on HTTP client threads and the retry
  // thread) ----

  private void attempt(Batch<T> batch) {
    Unreachable down = unreachable;
    if (down != null && System.nanoTime() - down.sinceNanos() < UNREACHABLE_COOL_DOWN.toNanos()) {
      finish(
          batch,
          failAll(
              batch,
              InvocationFailure.create(
                  null,
                  InvocationFailure.CLIENT_ERROR,
                  "not sent: endpoint "
                      + settings.endpointName()
                      + " is unreachable ("
                      + down.reason()
                      + ")",
                  null,
                  null,
                  null,
                  batch.attempts)));
      return;
    }
    batch.attempts++;
    if (batch.firstAttemptNanos == 0) {
      batch.firstAttemptNanos = System.nanoTime();
    }
    stats.requests.increment();
    stats.requestBytes.add(batch.body.length);
    stats.requestRows.add(batch.entries.size());
    InvokeEndpointRequest.Builder request =
        InvokeEndpointRequest.builder()
            .endpointName(settings.endpointName())
            .contentType(serializer.contentType())
            .accept(deserializer.accept())
            .body(SdkBytes.fromByteArrayUnsafe(batch.body));
    if (settings.targetVariant() != null) {
      request.targetVariant(settings.targetVariant());
    }
    if (settings.targetModel() != null) {
      request.targetModel(settings.targetModel());
    }
    if (settings.customAttributes() != null) {
      request.customAttributes(settings.customAttributes());
    }
    long start = System.nanoTime();
    CompletableFuture<InvokeEndpointResponse> call;
    try {
      call = client.invokeEndpoint(request.build());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (response, error) -> {
          stats.recordLatency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
          try {
            if (error == null) {
              onResponse(batch, response);
            } else {
              onError(batch, unwrap(error));
            }
          } catch (RuntimeException e) {
            // never lose a batch to a bug in a callback
            LOG.error(
                "Unexpected error handling the answer for a batch of {} rows",
                batch.entries.size(),
                e);
            finish(
                batch,
                failAll(
                    batch,
                    InvocationFailure.of(
                        InvocationFailure.RESPONSE_ERROR,
                        "unexpected error handling the response: " + e,
                        batch.attempts)));
          }
        });
  }

  private void onResponse(Batch<T> batch, InvokeEndpointResponse response) {
    unreachable = null; // it answered
    List<R> predictions;
    try {
      predictions = deserializer.deserialize(response.body().asByteArrayUnsafe());
    } catch (RuntimeException e) {
      finish(
          batch,
          failAll(
              batch,
              InvocationFailure.create(
                  200,
                  InvocationFailure.RESPONSE_ERROR,
                  "the response could not be read by "
                      + deserializer.getClass().getSimpleName()
                      + ": "
                      + e,
                  null,
                  null,
                  null,
                  batch.attempts)));
      return;
    }
    int rows = batch.entries.size();
    if (predictions == null || predictions.size() != rows) {
      finish(
          batch,
          failAll(
              batch,
              InvocationFailure.create(
                  200,
                  InvocationFailure.RESPONSE_ERROR,
                  "the endpoint answered with "
                      + (predictions == null ? 0 : predictions.size())
                      + " predictions for a request of "
                      + rows
                      + " rows; predictions cannot be matched to rows, so the whole batch failed",
                  null,
                  null,
                  null,
                  batch.attempts)));
      return;
    }
    List<Outcome<T, R>> outcomes = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      outcomes.add(new Outcome<>(batch.entries.get(i), predictions.get(i), null));
    }
    stats.successRows.add(rows);
    finish(batch, outcomes);
  }

  private void onError(Batch<T> batch, Throwable error) {
    AwsServiceException service =
        error instanceof AwsServiceException ? (AwsServiceException) error : null;
    if (service != null) {
      unreachable = null; // it answered, if only with an error
    }
    if (service != null && isPayloadTooLarge(service)) {
      if (batch.entries.size() > 1) {
        stats.splits.increment();
        LOG.info(
            "Endpoint {} refused a {}-byte request of {} rows as too large; splitting it in two",
            settings.endpointName(),
            batch.body.length,
            batch.entries.size());
        splitAndSend(batch, batch.isolating);
      } else {
        finish(
            batch,
            failAll(
                batch,
                failureOf(
                    service,
                    batch,
                    "the endpoint refused a single row of "
                        + batch.body.length
                        + " bytes as too large; lower maxPayloadBytes below that size or shrink the row: ")));
      }
      return;
    }
    if (service != null
        && isCausedByContent(service)
        && batch.entries.size() > 1
        && batch.isolation.take(2)) {
      // the model refused what it was sent (a ModelError whose original status is 4xx): find the
      // rows at fault by sending the halves, so the others succeed and each bad row gets its own
      // error
      stats.isolationSplits.increment();
      LOG.debug(
          "Endpoint {} refused a request of {} rows ({}); sending its halves to isolate the rows at fault",
          settings.endpointName(),
          batch.entries.size(),
          describe(error));
      splitAndSend(batch, true);
      return;
    }
    boolean throttled =
        service != null && (service.isThrottlingException() || service.statusCode() == 429);
    if (throttled) {
      stats.throttles.increment();
    }
    boolean retryable =
        throttled
            || (service != null
                && (service.statusCode() >= 500
                    || "ModelNotReadyException".equals(errorCode(service))))
            || error instanceof SdkClientException
            || error instanceof java.io.IOException
            || error instanceof java.util.concurrent.TimeoutException;
    if (retryable && batch.attempts < settings.maxAttempts()) {
      Duration delay = backoff.computeDelay(batch.attempts);
      long elapsedNanos = System.nanoTime() - batch.firstAttemptNanos;
      if (elapsedNanos + delay.toNanos() <= settings.maxRetryTime().toNanos()) {
        stats.retries.increment();
        LOG.debug(
            "Retrying a batch of {} rows to {} in {} ms after attempt {}: {}",
            batch.entries.size(),
            settings.endpointName(),
            delay.toMillis(),
            batch.attempts,
            describe(error));
        RetryScheduler.INSTANCE.schedule(() -> retry(batch), delay.toNanos(), TimeUnit.NANOSECONDS);
        return;
      }
    }
    if (retryable) {
      LOG.warn(
          "Giving up on a batch of {} rows to {} after {} attempts: {}",
          batch.entries.size(),
          settings.endpointName(),
          batch.attempts,
          describe(error));
      if (service == null && isConnectionFailure(error)) {
        if (unreachable == null) {
          LOG.warn(
              "Endpoint {} is unreachable; batches fail without being sent for the next {} s",
              settings.endpointName(),
              UNREACHABLE_COOL_DOWN.toSeconds());
        }
        unreachable =
            new Unreachable(
                describe(error) + ", after " + batch.attempts + " attempts", System.nanoTime());
      }
    }
    finish(
        batch,
        failAll(
            batch,
            service != null
                ? failureOf(service, batch, "")
                : InvocationFailure.create(
                    null,
                    InvocationFailure.CLIENT_ERROR,
                    describe(error)
                        + (retryable ? " (gave up after " + batch.attempts + " attempts)" : ""),
                    null,
                    null,
                    null,
                    batch.attempts)));
  }

  /** The next attempt of {@code batch}, on the retry thread; never loses the batch. */
  private void retry(Batch<T> batch) {
    try {
      attempt(batch);
    } catch (RuntimeException e) {
      LOG.error("Unexpected error retrying a batch of {} rows", batch.entries.size(), e);
      finish(
          batch,
          failAll(
              batch,
              InvocationFailure.of(
                  InvocationFailure.CLIENT_ERROR,
                  "unexpected error sending a retry: " + e,
                  batch.attempts)));
    }
  }

  /** Whether {@code error} is a failure to reach the endpoint at all (no answer was possible). */
  static boolean isConnectionFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.NoRouteToHostException
          || t instanceof java.net.UnknownHostException
          || (t.getMessage() != null
              && (t.getMessage().contains("Acquire operation took longer")
                  || t.getMessage().contains("connection timed out")))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A ModelError whose container answered 4xx: the request's content is at fault, which a retry
   * cannot fix but isolating the rows can. Throttling and 5xx are retried instead, never split.
   */
  static boolean isCausedByContent(AwsServiceException e) {
    if (!(e instanceof ModelErrorException)) {
      return false;
    }
    Integer original = ((ModelErrorException) e).originalStatusCode();
    return original != null && original >= 400 && original < 500 && original != 429;
  }

  private static boolean isPayloadTooLarge(AwsServiceException e) {
    if (e.statusCode() == 413) {
      return true;
    }
    String message =
        e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
    return e.statusCode() == 400
        && !e.isThrottlingException()
        && message != null
        && TOO_LARGE_MESSAGE.matcher(message).matches();
  }

  private void splitAndSend(Batch<T> batch, boolean isolating) {
    int half = batch.entries.size() / 2;
    Batch<T> first = subBatch(batch, 0, half);
    Batch<T> second = subBatch(batch, half, batch.entries.size());
    first.isolating = isolating;
    second.isolating = isolating;
    // halves go one after the other on the same in-flight slot, keeping memory within the bound
    second.next = batch.next;
    first.next = second;
    attempt(first);
  }

  private Batch<T> subBatch(Batch<T> batch, int from, int to) {
    List<Entry<T>> entries = batch.entries.subList(from, to);
    int size = prefix.length + suffix.length + separator.length * (entries.size() - 1);
    for (Entry<T> e : entries) {
      size += e.length;
    }
    byte[] sub = new byte[size];
    int at = 0;
    System.arraycopy(prefix, 0, sub, at, prefix.length);
    at += prefix.length;
    List<Entry<T>> moved = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        System.arraycopy(separator, 0, sub, at, separator.length);
        at += separator.length;
      }
      Entry<T> e = entries.get(i);
      System.arraycopy(batch.body, e.offset, sub, at, e.length);
      moved.add(new Entry<>(e.element, e.tag, at, e.length));
      at += e.length;
    }
    System.arraycopy(suffix, 0, sub, at, suffix.length);
    return new Batch<>(sub, moved, batch.isolation);
  }

  private void finish(Batch<T> batch, List<Outcome<T, R>> outcomes) {
    completed.add(outcomes);
    if (batch.next != null) {
      attempt(batch.next);
    } else {
      inFlight.decrementAndGet();
      permits.release();
    }
  }

  private List<Outcome<T, R>> failAll(Batch<T> batch, InvocationFailure failure) {
    if (batch.isolating && batch.entries.size() == 1) {
      stats.isolatedRows.increment();
    }
    List<Outcome<T, R>> outcomes = new ArrayList<>(batch.entries.size());
    for (Entry<T> e : batch.entries) {
      outcomes.add(new Outcome<>(e, null, failure));
    }
    stats.failedRows.add(batch.entries.size());
    return outcomes;
  }

  private static InvocationFailure failureOf(
      AwsServiceException e, Batch<?> batch, String context) {
    Integer originalStatus = null;
    String originalMessage = null;
    String logStream = null;
    if (e instanceof ModelErrorException) {
      ModelErrorException m = (ModelErrorException) e;
      originalStatus = m.originalStatusCode();
      originalMessage = m.originalMessage();
      logStream = m.logStreamArn();
    }
    String message =
        e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
            ? e.awsErrorDetails().errorMessage()
            : e.getMessage();
    return InvocationFailure.create(
        e.statusCode(),
        errorCode(e),
        context + message,
        originalStatus,
        originalMessage,
        logStream,
        batch.attempts);
  }

  private static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // ---- value holders ----

  private static final class Entry<T> {
    final T element;
    final Object tag;
    final int offset; // of the row in its batch body
    final int length;

    Entry(T element, Object tag, int offset, int length) {
      this.element = element;
      this.tag = tag;
      this.offset = offset;
      this.length = length;
    }
  }

  private static final class Batch<T> {
    final byte[] body;
    final List<Entry<T>> entries;
    final IsolationBudget isolation; // shared by a packed batch and every part split from it
    boolean isolating; // a part sent to find the rows at fault
    int attempts;
    long firstAttemptNanos;
    Batch<T> next; // sent on the same slot when this one is done (split halves)

    Batch(byte[] body, List<Entry<T>> entries) {
      this(body, entries, new IsolationBudget(entries.size()));
    }

    Batch(byte[] body, List<Entry<T>> entries, IsolationBudget isolation) {
      this.body = body;
      this.entries = entries;
      this.isolation = isolation;
    }
  }

  /**
   * The extra requests a packed batch may spend isolating rows the model refuses: halving to one
   * bad row costs two requests per level, 2 x log2(rows); the budget covers that for up to {@value
   * #ISOLATED_ROWS_PER_BATCH} bad rows. Past it, a part that fails fails whole, each row with the
   * part's error, so a batch of bad rows cannot turn into a request per row.
   */
  static final class IsolationBudget {
    private final int limit;
    private int used;

    IsolationBudget(int rows) {
      int levels = 32 - Integer.numberOfLeadingZeros(Math.max(1, rows - 1)); // ceil(log2(rows))
      this.limit = 2 * levels * ISOLATED_ROWS_PER_BATCH;
    }

    synchronized boolean take(int requests) {
      if (used + requests > limit) {
        return false;
      }
      used += requests;
      return true;
    }

    synchronized int used() {
      return used;
    }
  }

  /**
   * The one thread per JVM that sends retries when their backoff is over, shared by every engine (a
   * daemon, like the runtime client's shared event loop). Sending a request only signs it and hands
   * it to the async client, so one thread keeps up with thousands of retries a second. Not {@code
   * CompletableFuture.delayedExecutor}: it runs each task on the common pool, which on a machine or
   * container of 2 processors or fewer (common pool parallelism 1) means a new thread per task, and
   * so a thread started for every retry (measured: about 5,500 threads on one executor in a run of
   * 8,000,000 rows under 10% throttling and 2% 5xx, where those threads took about as much CPU as
   * the task itself).
   */
  static final class RetryScheduler {
    static final String THREAD_NAME = "sagemaker-invoke-retry";

    static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              return t;
            });

    private RetryScheduler() {}
  }

  /** Bad rows of one packed batch isolated at most (see {@link IsolationBudget}). */
  static final int ISOLATED_ROWS_PER_BATCH = 4;

  private static final class Outcome<T, R> {
    final Entry<T> entry;
    final R prediction;
    final InvocationFailure failure;

    Outcome(Entry<T> entry, R prediction, InvocationFailure failure) {
      this.entry = entry;
      this.prediction = prediction;
      this.failure = failure;
    }
  }
}

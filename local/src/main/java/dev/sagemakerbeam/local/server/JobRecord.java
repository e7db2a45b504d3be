package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.ObjDoubleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SageMaker Local's jobs (training, transform, tuning) share: the job's description, as its
 * Describe call answers it, changed under the description's own lock and saved with every change;
 * its status field; and the end of the job (status, a failure reason within SageMaker's 1,024
 * characters, the end time), also for a job that was running when SageMaker Local stopped.
 */
public abstract class JobRecord {
  /** SageMaker's limit on a job's {@code FailureReason}. */
  public static final int FAILURE_REASON_LIMIT = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(JobRecord.class);

  protected final ServiceContext context;

  /** The job's description; change it only while holding its lock. */
  protected final ObjectNode description;

  protected final String name;
  private final String kind;
  private final String label;
  private final String statusField;
  private final String endTimeField;

  /**
   * @param kind the state kind the description is saved under
   * @param label the job's kind in log lines, e.g. {@code Training job}
   * @param nameField the description's field of the job's name, e.g. {@code TrainingJobName}
   * @param statusField e.g. {@code TrainingJobStatus}
   * @param endTimeField e.g. {@code TrainingEndTime}
   */
  protected JobRecord(
      ServiceContext context,
      ObjectNode description,
      String kind,
      String label,
      String nameField,
      String statusField,
      String endTimeField) {
    this.context = context;
    this.description = description;
    this.kind = kind;
    this.label = label;
    this.statusField = statusField;
    this.endTimeField = endTimeField;
    this.name = description.get(nameField).asText();
  }

  public final String status() {
    synchronized (description) {
      return description.path(statusField).asText();
    }
  }

  /** InProgress or Stopping. */
  public final boolean isActive() {
    String status = status();
    return status.equals("InProgress") || status.equals("Stopping");
  }

  /** A copy of the description. */
  public final ObjectNode snapshot() {
    synchronized (description) {
      return description.deepCopy();
    }
  }

  /** Saves the description as it is now. */
  public final void save() {
    synchronized (description) {
      context.state().save(kind, name, description);
    }
  }

  /** Sets the status (and LastModifiedTime); the caller saves. */
  protected final void setStatus(String status) {
    synchronized (description) {
      description.put(statusField, status);
      description.put("LastModifiedTime", ServiceContext.now());
    }
  }

  /**
   * Ends the job: its status, failure reason (when there is one, cut to SageMaker's limit), end
   * time and LastModifiedTime, what {@code more} adds given the time, saved; then logged.
   */
  protected final void end(
      String status, String failureReason, ObjDoubleConsumer<ObjectNode> more) {
    synchronized (description) {
      double now = ServiceContext.now();
      description.put(statusField, status);
      if (failureReason != null) {
        description.put("FailureReason", reason(failureReason, "no reason given"));
      }
      description.put(endTimeField, now);
      description.put("LastModifiedTime", now);
      more.accept(description, now);
      save();
    }
    LOG.info("{} {} {}{}", label, name, status, failureReason == null ? "" : ": " + failureReason);
  }

  /** A failure reason within SageMaker's limit, {@code whenNone} for a blank one. */
  public static String reason(String message, String whenNone) {
    String text = message == null || message.isBlank() ? whenNone : message;
    return text.length() <= FAILURE_REASON_LIMIT
        ? text
        : text.substring(0, FAILURE_REASON_LIMIT - 3) + "...";
  }
}

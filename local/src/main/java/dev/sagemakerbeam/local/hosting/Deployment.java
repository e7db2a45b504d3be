package dev.sagemakerbeam.local.hosting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.algorithm.AlgorithmException;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.faults.FaultInjector;
import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ServiceContext;
import dev.sagemakerbeam.local.training.ModelArchive;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint configuration put into service: per production variant, the unpacked model and its
 * InitialInstanceCount model workers. Requests pick a variant by weight (or the one asked for) and
 * a worker round-robin. Retiring waits for the requests in flight before closing the workers, which
 * is what lets UpdateEndpoint switch configurations without failing any.
 */
final class Deployment {
  private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);

  /** A variant in service. */
  record Variant(
      String name,
      double weight,
      List<ModelWorker> workers,
      AtomicLong next,
      AtomicInteger inModel,
      ObjectNode summary) {}

  /** A model's answer and the variant that gave it. */
  record Result(String variant, ModelWorker.Invocation invocation) {}

  private final Path dir;
  private final List<Variant> variants;
  private final double totalWeight;
  private int inFlight;
  private boolean retired;

  private Deployment(Path dir, List<Variant> variants) {
    this.dir = dir;
    this.variants = variants;
    this.totalWeight = variants.stream().mapToDouble(Variant::weight).sum();
  }

  /**
   * Loads every variant of {@code config}. On failure, what was started is closed again.
   *
   * @throws AlgorithmException with the reason the endpoint failed
   */
  static Deployment start(ServiceContext context, Models models, ObjectNode config, Path dir)
      throws AlgorithmException {
    List<Variant> started = new ArrayList<>();
    try {
      for (JsonNode variant : config.get("ProductionVariants")) {
        started.add(startVariant(context, models, variant, dir));
      }
      return new Deployment(dir, started);
    } catch (AlgorithmException | RuntimeException e) {
      for (Variant variant : started) {
        variant.workers().forEach(ModelWorker::close);
      }
      throw e instanceof AlgorithmException a ? a : new AlgorithmException(e.getMessage(), e);
    }
  }

  private static Variant startVariant(
      ServiceContext context, Models models, JsonNode variant, Path dir) throws AlgorithmException {
    String variantName = variant.get("VariantName").asText();
    String modelName = variant.get("ModelName").asText();
    ObjectNode model;
    try {
      model = models.get(modelName);
    } catch (ApiException e) {
      throw new AlgorithmException(e.getMessage());
    }
    int count = variant.get("InitialInstanceCount").asInt();
    ModelWorkers started =
        ModelWorkers.start(
            context,
            model,
            dir.resolve(variantName),
            count,
            Map.of(),
            "variant '" + variantName + "'");
    List<ModelWorker> workers = started.workers();
    String image = started.image();
    double weight =
        variant.hasNonNull("InitialVariantWeight")
            ? variant.get("InitialVariantWeight").asDouble()
            : 1.0;
    ObjectNode summary = context.mapper().createObjectNode();
    summary.put("VariantName", variantName);
    ArrayNode images = summary.putArray("DeployedImages");
    ObjectNode deployed = images.addObject();
    deployed.put("SpecifiedImage", image);
    deployed.put("ResolvedImage", image);
    deployed.put("ResolutionTime", ServiceContext.now());
    summary.put("CurrentWeight", (float) weight);
    summary.put("DesiredWeight", (float) weight);
    summary.put("CurrentInstanceCount", count);
    summary.put("DesiredInstanceCount", count);
    LOG.info("Variant {} of model {} in service with {} worker(s)", variantName, modelName, count);
    return new Variant(
        variantName, weight, List.copyOf(workers), new AtomicLong(), new AtomicInteger(), summary);
  }

  /** The ProductionVariants field of DescribeEndpoint. */
  ArrayNode summaries(com.fasterxml.jackson.databind.ObjectMapper mapper) {
    ArrayNode list = mapper.createArrayNode();
    for (Variant variant : variants) {
      list.add(variant.summary().deepCopy());
    }
    return list;
  }

  /**
   * Answers one request, or returns null when this deployment was retired meanwhile (the caller
   * then uses the endpoint's current one). Faults set in {@code faults} for the chosen variant (or
   * the endpoint) are applied here, after routing, as SageMaker's front end and the model would
   * produce them.
   */
  Result invoke(
      String endpointName,
      byte[] body,
      String contentType,
      String accept,
      String targetVariant,
      FaultInjector faults)
      throws ModelWorker.ModelError {
    synchronized (this) {
      if (retired) {
        return null;
      }
      inFlight++;
    }
    try {
      Variant variant = choose(endpointName, targetVariant);
      FaultInjector.Decision fault = faults.decide(endpointName, variant.name());
      if (fault == null) {
        return new Result(variant.name(), call(endpointName, variant, body, contentType, accept));
      }
      InjectedFaults.answerFrontEnd(fault);
      int cap = fault.spec().maxConcurrentRequestsPerInstance();
      boolean capped = cap > 0;
      if (capped && variant.inModel().incrementAndGet() > (long) cap * variant.workers().size()) {
        variant.inModel().decrementAndGet();
        fault.countConcurrencyThrottle();
        throw InjectedFaults.throttling();
      }
      try {
        InjectedFaults.sleep(fault);
        if (fault.outcome() == FaultInjector.Outcome.MODEL_ERROR) {
          throw InjectedFaults.modelError(fault);
        }
        return new Result(variant.name(), call(endpointName, variant, body, contentType, accept));
      } finally {
        if (capped) {
          variant.inModel().decrementAndGet();
        }
      }
    } finally {
      synchronized (this) {
        inFlight--;
        if (retired && inFlight == 0) {
          notifyAll();
        }
      }
    }
  }

  private static ModelWorker.Invocation call(
      String endpointName, Variant variant, byte[] body, String contentType, String accept)
      throws ModelWorker.ModelError {
    List<ModelWorker> workers = variant.workers();
    ModelWorker worker =
        workers.get((int) Math.floorMod(variant.next().getAndIncrement(), (long) workers.size()));
    try {
      return worker.invoke(body, contentType, accept);
    } catch (RuntimeException e) {
      // An in-process model that throws failed like a container answering 500.
      LOG.warn("Model of variant {} of endpoint {} failed", variant.name(), endpointName, e);
      throw new ModelWorker.ModelError(500, "The model failed: " + e);
    }
  }

  private Variant choose(String endpointName, String targetVariant) {
    if (targetVariant != null) {
      for (Variant variant : variants) {
        if (variant.name().equals(targetVariant)) {
          return variant;
        }
      }
      throw new ApiException(
          400,
          "ValidationError",
          "Target variant '"
              + targetVariant
              + "' is not a variant of endpoint '"
              + endpointName
              + "'");
    }
    if (variants.size() == 1) {
      return variants.get(0);
    }
    if (totalWeight <= 0) {
      return variants.get(ThreadLocalRandom.current().nextInt(variants.size()));
    }
    double pick = ThreadLocalRandom.current().nextDouble(totalWeight);
    for (Variant variant : variants) {
      pick -= variant.weight();
      if (pick < 0) {
        return variant;
      }
    }
    return variants.get(variants.size() - 1);
  }

  /** Stops taking requests, waits for those in flight, closes the workers, removes the files. */
  void retire() {
    synchronized (this) {
      retired = true;
      long deadline = System.currentTimeMillis() + 70_000;
      while (inFlight > 0 && System.currentTimeMillis() < deadline) {
        try {
          wait(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (Variant variant : variants) {
      for (ModelWorker worker : variant.workers()) {
        try {
          worker.close();
        } catch (RuntimeException e) {
          LOG.warn("Closing a model worker of variant {} failed", variant.name(), e);
        }
      }
    }
    try {
      ModelArchive.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.debug("Could not remove {}: {}", dir, e.toString());
    }
  }
}

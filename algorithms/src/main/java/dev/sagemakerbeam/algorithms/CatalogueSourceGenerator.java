package dev.sagemakerbeam.algorithms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the typed API of catalogue hyperparameters as Java source, so that neither the Beam
 * presets' hyperparameters nor the Spark estimators spell their hyperparameters out by hand. The
 * transforms and sdk modules run it at {@code generate-sources}, each with a table of the classes
 * to write.
 *
 * <p>{@link Kind#BEAM}: for every class of the table an abstract subclass of {@code
 * Hyperparameters} with a setter per hyperparameter, named by {@link HyperparameterSpec#beamName()}
 * and typed by the hyperparameter: {@code long} for an integer, {@code double} for a number, {@code
 * boolean}, {@code String}, {@code String...} for a categorical or word list; one that also takes
 * {@code auto} (or another word) has a {@code String} setter too. Each checks the catalogue's rule
 * when called.
 *
 * <p>{@link Kind#SPARK}: for every class of the table an abstract class with, per hyperparameter, a
 * Param made by {@code BuiltInAlgorithmEstimator}'s {@code intParam}, {@code doubleParam}, ...
 * (validated by the catalogue's rule, documented by its description), the Param's accessor, a typed
 * setter (two where the Param takes words: the value and a String) and a typed getter. An integer
 * is an {@code IntParam}, a number a {@code DoubleParam}, a boolean a {@code BooleanParam}, a
 * categorical or word list a {@code Param<String>}, a categorical list a {@code StringArrayParam};
 * an integer, number or boolean that also takes {@code auto} (or another word) is a {@code
 * Param<String>}, unless the catalogue marks it {@link HyperparameterSpec#sparkTakesWords() numbers
 * only}.
 *
 * <p>The table has a line per generated class, {@code #} starting a comment:
 *
 * <pre>
 * class | algorithm | extends | setters return | hyperparameters | constructor parameters
 * LinearLearnerParams&lt;T extends LinearLearnerSageMakerEstimator&lt;T&gt;&gt; | linear-learner | FirstPartyAlgorithmEstimator | T | *
 * </pre>
 *
 * The hyperparameters are catalogue names separated by spaces, or {@code *} for those of the
 * algorithm that no other line names. Constructor parameters (optional, Spark only) are the
 * superclass constructor's after {@code String uid, SageMakerEstimatorOptions options}.
 *
 * <p>Usage: {@code CatalogueSourceGenerator beam|spark <table> <output source directory>
 * <package>}.
 */
public final class CatalogueSourceGenerator {
  private CatalogueSourceGenerator() {}

  /** What to write. */
  public enum Kind {
    /** The Beam presets' typed hyperparameter setters. */
    BEAM,
    /** The Spark estimators' Params. */
    SPARK
  }

  /** One line of the table. */
  static final class ClassLine {
    final String declaration;
    final String simpleName;
    final AlgorithmSpec algorithm;
    final String superclass;
    final String returns;
    final List<String> names;
    final String constructorParameters;

    ClassLine(String line, int number) {
      String[] cells = line.split("\\|", -1);
      if (cells.length < 5 || cells.length > 6) {
        throw new IllegalArgumentException(
            "line "
                + number
                + " has "
                + cells.length
                + " cells, not 5 or 6 (class | algorithm | extends | setters return |"
                + " hyperparameters [| constructor parameters]): "
                + line);
      }
      declaration = cells[0].trim();
      int generic = declaration.indexOf('<');
      simpleName = generic < 0 ? declaration : declaration.substring(0, generic).trim();
      String algorithmName = cells[1].trim();
      try {
        algorithm = AlgorithmCatalog.byName(algorithmName);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
      }
      superclass = cells[2].trim();
      returns = cells[3].trim();
      names = List.of(cells[4].trim().split("\\s+"));
      constructorParameters = cells.length > 5 ? cells[5].trim() : "";
      for (String name : names) {
        if (!name.equals("*") && algorithm.hyperparameter(name).isEmpty()) {
          throw new IllegalArgumentException(
              "line " + number + ": " + algorithm.displayName() + " has no hyperparameter " + name);
        }
      }
    }

    boolean takesTheRest() {
      return names.equals(List.of("*"));
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: CatalogueSourceGenerator beam|spark <table> <output source directory> <package>");
    }
    Kind kind = Kind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
    List<String> table = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
    Path directory = Paths.get(args[2]).resolve(args[3].replace('.', '/'));
    Files.createDirectories(directory);
    for (Map.Entry<String, String> source : generate(kind, table, args[3]).entrySet()) {
      Path file = directory.resolve(source.getKey() + ".java");
      byte[] bytes = source.getValue().getBytes(StandardCharsets.UTF_8);
      // unchanged sources keep their time stamps, so the compiler has nothing to redo
      if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
        Files.write(file, bytes);
      }
    }
  }

  /** The sources of a table's classes, by simple class name. */
  public static Map<String, String> generate(Kind kind, List<String> table, String packageName) {
    List<ClassLine> lines = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      String line = table.get(i).replaceFirst("#.*", "").trim();
      if (!line.isEmpty()) {
        lines.add(new ClassLine(line, i + 1));
      }
    }
    Map<String, String> sources = new LinkedHashMap<>();
    for (ClassLine line : lines) {
      List<HyperparameterSpec> hs = hyperparameters(line, lines);
      sources.put(
          line.simpleName,
          kind == Kind.SPARK
              ? sparkSource(line, hs, packageName)
              : beamSource(line, hs, packageName));
    }
    return sources;
  }

  private static List<HyperparameterSpec> hyperparameters(ClassLine line, List<ClassLine> lines) {
    if (!line.takesTheRest()) {
      List<HyperparameterSpec> named = new ArrayList<>();
      line.names.forEach(n -> named.add(line.algorithm.hyperparameter(n).orElseThrow()));
      return named;
    }
    Set<String> elsewhere = new LinkedHashSet<>();
    for (ClassLine other : lines) {
      if (other != line && other.algorithm.equals(line.algorithm) && !other.takesTheRest()) {
        elsewhere.addAll(other.names);
      }
    }
    List<HyperparameterSpec> rest = new ArrayList<>();
    for (HyperparameterSpec h : line.algorithm.hyperparameters().values()) {
      if (!elsewhere.contains(h.name())) {
        rest.add(h);
      }
    }
    return rest;
  }

  /** How a hyperparameter looks in Spark: its Param class, the factory and the value types. */
  private static final class SparkType {
    /** The Param's class, e.g. {@code IntParam} or {@code Param<String>}. */
    final String paramClass;

    /** The estimator method that makes it, e.g. {@code intParam}. */
    final String factory;

    /** What the setter takes and the getter gives. */
    final String valueType;

    /** For a Param of words that also takes a typed value: that type (the second setter's). */
    final String typedSetter;

    SparkType(HyperparameterSpec h) {
      String typed = primitive(h, "int");
      if (h.type() == HyperparameterSpec.Type.CATEGORICAL_LIST) {
        paramClass = "StringArrayParam";
        factory = "stringArrayParam";
        valueType = "String[]";
        typedSetter = null;
      } else if (typed == null || h.sparkTakesWords()) {
        paramClass = "Param<String>";
        factory = "stringParam";
        valueType = "String";
        typedSetter = typed;
      } else {
        String kind = typed.equals("int") ? "Int" : typed.equals("double") ? "Double" : "Boolean";
        paramClass = kind + "Param";
        factory = typed + "Param";
        valueType = typed;
        typedSetter = null;
      }
    }

    String getterBody(String field) {
      String value = "getOrDefault(" + field + ")";
      return valueType.startsWith("String") ? value : "(" + boxed(valueType) + ") " + value;
    }
  }

  private static String sparkSource(
      ClassLine line, List<HyperparameterSpec> hs, String packageName) {
    StringBuilder s = new StringBuilder();
    s.append("package ").append(packageName).append(";\n\n");
    s.append("import dev.sagemakerbeam.sdk.SageMakerEstimatorOptions;\n");
    for (String p :
        List.of("BooleanParam", "DoubleParam", "IntParam", "Param", "StringArrayParam")) {
      s.append("import org.apache.spark.ml.param.").append(p).append(";\n");
    }
    classComment(s, line, hs, "The Spark Params of ");
    s.append("@SuppressWarnings(\"unchecked\")\n");
    s.append("public abstract class ")
        .append(line.declaration)
        .append(" extends ")
        .append(line.superclass)
        .append(" {\n");
    s.append("  private static final long serialVersionUID = 1L;\n\n");
    for (HyperparameterSpec h : hs) {
      SparkType t = new SparkType(h);
      s.append("  private final ")
          .append(t.paramClass)
          .append(' ')
          .append(h.sparkName())
          .append(" = ")
          .append(t.factory)
          .append("(\"")
          .append(h.name())
          .append("\");\n");
    }
    String extra = line.constructorParameters;
    s.append("\n  protected ")
        .append(line.simpleName)
        .append("(String uid, SageMakerEstimatorOptions options")
        .append(extra.isEmpty() ? "" : ", " + extra)
        .append(") {\n    super(uid, options")
        .append(extra.isEmpty() ? "" : ", " + argumentNames(extra))
        .append(");\n  }\n\n");
    s.append("  private ")
        .append(line.returns)
        .append(" self(Object estimator) {\n    return (")
        .append(line.returns)
        .append(") estimator;\n  }\n");
    for (HyperparameterSpec h : hs) {
      accessors(s, h, line.returns);
    }
    s.append("}\n");
    return s.toString();
  }

  private static String beamSource(
      ClassLine line, List<HyperparameterSpec> hs, String packageName) {
    StringBuilder s = new StringBuilder();
    s.append("package ").append(packageName).append(";\n\n");
    s.append("import dev.sagemakerbeam.algorithms.AlgorithmCatalog;\n");
    classComment(s, line, hs, "The typed hyperparameter setters of ");
    s.append("public abstract class ")
        .append(line.declaration)
        .append(" extends ")
        .append(line.superclass)
        .append(" {\n");
    s.append("  private static final long serialVersionUID = 1L;\n\n");
    s.append("  protected ")
        .append(line.simpleName)
        .append("() {\n    super(AlgorithmCatalog.byName(\"")
        .append(line.algorithm.name())
        .append("\"));\n  }\n\n");
    s.append("  private ")
        .append(line.returns)
        .append(" self() {\n    return (")
        .append(line.returns)
        .append(") this;\n  }\n");
    for (HyperparameterSpec h : hs) {
      String type = primitive(h, "long");
      String value = "value";
      switch (h.type()) {
        case CATEGORICAL_LIST:
          type = "String...";
          value = "java.util.List.of(value)";
          break;
        case WORD_LIST:
          type = "String...";
          value = "String.join(\",\", value)";
          break;
        default:
          type = type != null ? type : "String";
      }
      beamSetter(s, h, line.returns, type, value);
      if (h.takesWords() && !type.startsWith("String")) {
        beamSetter(s, h, line.returns, "String", "value");
      }
    }
    s.append("\n  @Override\n  public ")
        .append(line.returns)
        .append(" raw(String name, String value) {\n    super.raw(name, value);\n")
        .append("    return self();\n  }\n");
    s.append("}\n");
    return s.toString();
  }

  private static void beamSetter(
      StringBuilder s, HyperparameterSpec h, String returns, String type, String value) {
    method(
        s,
        "Sets {@code " + h.name() + "}: " + javadoc(h),
        returns + " " + h.beamName() + "(" + type + " value)",
        "put(\"" + h.name() + "\", " + value + ")",
        "self()");
  }

  private static void classComment(
      StringBuilder s, ClassLine line, List<HyperparameterSpec> hs, String what) {
    s.append("\n/**\n * ")
        .append(what)
        .append(line.algorithm.displayName())
        .append("'s hyperparameters ")
        .append(String.join(", ", hs.stream().map(h -> "{@code " + h.name() + "}").toList()))
        .append(
            ", each checked by the catalogue's rule when set.\n * Generated from the algorithm"
                + " catalogue by {@code CatalogueSourceGenerator}: do not edit.\n */\n");
    s.append("@javax.annotation.processing.Generated(\"")
        .append(CatalogueSourceGenerator.class.getName())
        .append("\")\n");
  }

  private static String argumentNames(String parameters) {
    List<String> names = new ArrayList<>();
    for (String p : parameters.split(",")) {
      String[] words = p.trim().split("\\s+");
      names.add(words[words.length - 1]);
    }
    return String.join(", ", names);
  }

  private static void accessors(StringBuilder s, HyperparameterSpec h, String returns) {
    SparkType t = new SparkType(h);
    String field = h.sparkName();
    String upper = Character.toUpperCase(field.charAt(0)) + field.substring(1);
    String doc = javadoc(h);
    String name = "{@code " + h.name() + "}";
    method(s, "The Param of " + name + ": " + doc, t.paramClass + " " + field + "()", field);
    if (t.typedSetter != null) {
      method(
          s,
          "Sets " + name + ": " + doc,
          returns + " set" + upper + "(" + t.typedSetter + " v)",
          "set" + upper + "(" + boxed(t.typedSetter) + ".toString(v))");
    }
    method(
        s,
        "Sets " + name + ": " + doc,
        returns + " set" + upper + "(" + t.valueType + " v)",
        "self(set(" + field + ", v))");
    method(
        s,
        "The value of "
            + name
            + ", or its default (none unless set: then SageMaker's own applies).",
        t.valueType + " get" + upper + "()",
        t.getterBody(field));
  }

  /** A public method that returns {@code value}, with its comment. */
  private static void method(StringBuilder s, String comment, String signature, String value) {
    method(s, comment, signature, "", value);
  }

  private static void method(
      StringBuilder s, String comment, String signature, String statement, String value) {
    s.append("\n  /** ")
        .append(comment)
        .append(" */\n  public ")
        .append(signature)
        .append(" {\n")
        .append(statement.isEmpty() ? "" : "    " + statement + ";\n")
        .append("    return ")
        .append(value)
        .append(";\n  }\n");
  }

  /**
   * The primitive Java type of an integer ({@code integer}: {@code int} for Spark's IntParam,
   * {@code long} for Beam), number or boolean hyperparameter; null for the others.
   */
  private static String primitive(HyperparameterSpec h, String integer) {
    switch (h.type()) {
      case INTEGER:
        return integer;
      case FLOAT:
        return "double";
      case BOOLEAN:
        return "boolean";
      default:
        return null;
    }
  }

  private static String boxed(String primitive) {
    switch (primitive) {
      case "int":
        return "Integer";
      case "double":
        return "Double";
      default:
        return "Boolean";
    }
  }

  private static String javadoc(HyperparameterSpec h) {
    String text =
        h.description()
            + " ("
            + h.rule()
            + (h.required() ? ", required" : "")
            + (h.serviceDefault() == null ? "" : "; SageMaker's default " + h.serviceDefault())
            + ").";
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    text = text.replace("*/", "*&#47;").replace("@", "{@literal @}");
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}

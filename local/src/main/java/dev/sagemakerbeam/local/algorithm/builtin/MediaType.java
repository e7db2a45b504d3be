package dev.sagemakerbeam.local.algorithm.builtin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Content-Type or Accept value split into its type ({@code text/csv}, lower case) and parameters
 * ({@code label_size=1}).
 */
record MediaType(String type, Map<String, String> parameters) {

  static MediaType parse(String value) {
    String[] parts = value.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0) {
        parameters.put(
            p.substring(0, eq).trim().toLowerCase(Locale.ROOT),
            p.substring(eq + 1).trim().replace("\"", ""));
      }
    }
    return new MediaType(type, parameters);
  }
}

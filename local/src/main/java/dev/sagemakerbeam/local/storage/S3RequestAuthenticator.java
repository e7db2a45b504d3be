package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.server.ApiException;
import dev.sagemakerbeam.local.server.ChunkSignatureChain;
import dev.sagemakerbeam.local.server.SigV4Verifier;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.handler.HandlerWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of SageMaker Local's S3, in S3Proxy's Jetty ahead of its S3 handler: checks each
 * request's SigV4 signature with the configured keys (S3Proxy itself runs without authentication),
 * and turns the SDKs' streaming uploads (body {@code aws-chunked}, {@code x-amz-content-sha256:
 * STREAMING-...}, flexible checksums in a trailer), which S3Proxy 2.6.0 cannot read
 * (gaul/s3proxy#795), into plain bodies with their real length before S3Proxy sees them. A hex
 * {@code x-amz-content-sha256} is checked against the body as it streams (an empty body too), and
 * the chunk signatures of a signed streaming upload against the chain its signature seeds. Bucket
 * names must follow S3's rules and keys S3's length limit ({@link S3Names}). Errors the store finds
 * below S3Proxy (a body that breaks its promises, an unknown upload id) reach S3Proxy's handler as
 * an {@link S3BodyException} in the cause chain and are answered here as S3 would.
 *
 * <p>Built on S3Proxy's (shaded) Jetty because S3Proxy owns the server; see {@link LocalS3}.
 */
final class S3RequestAuthenticator extends HandlerWrapper {
  private static final Logger LOG = LoggerFactory.getLogger(S3RequestAuthenticator.class);
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final SigV4Verifier verifier;
  private final String region;

  S3RequestAuthenticator(SigV4Verifier verifier, String region) {
    this.verifier = verifier;
    this.region = region;
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException, jakarta.servlet.ServletException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    HttpServletRequest forwarded;
    try {
      ChunkSignatureChain chunkSignatures =
          verifier.verifyS3(
              request.getMethod(),
              request.getHeader("Host"),
              request.getLocalPort(),
              request.getRequestURI(),
              request.getQueryString(),
              headers);
      S3Names.check(request.getRequestURI(), request.getHeader("x-amz-copy-source"));
      forwarded = forwardedRequest(request, chunkSignatures);
    } catch (ApiException e) {
      LOG.debug(
          "S3 request {} {} refused: {} {}",
          request.getMethod(),
          request.getRequestURI(),
          e.code(),
          e.getMessage());
      writeError(request, response, e.status(), s3ErrorCode(e), e.getMessage());
      baseRequest.setHandled(true);
      return;
    }
    try {
      super.handle(target, baseRequest, forwarded, response);
    } catch (IOException | RuntimeException e) {
      S3BodyException bad = bodyException(e);
      if (bad == null || response.isCommitted()) {
        throw e;
      }
      // The store keeps no object whose body failed to read (S3DefaultClientTest checks it).
      LOG.debug(
          "S3 upload {} {} refused: {}",
          request.getMethod(),
          request.getRequestURI(),
          bad.getMessage());
      response.reset();
      writeError(request, response, bad.status(), bad.code(), bad.getMessage());
      baseRequest.setHandled(true);
    }
  }

  private static S3BodyException bodyException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof S3BodyException bad) {
        return bad;
      }
    }
    return null;
  }

  /** The request as S3Proxy should see it: no Authorization, a plain body of known length. */
  private static HttpServletRequest forwardedRequest(
      HttpServletRequest request, ChunkSignatureChain chunkSignatures) {
    Map<String, String> overrides = new LinkedHashMap<>();
    // Authenticated here; S3Proxy (authentication none) treats the request as its anonymous user.
    overrides.put("authorization", null);
    String contentSha = request.getHeader("x-amz-content-sha256");
    String contentEncoding = request.getHeader("Content-Encoding");
    boolean awsChunked =
        (contentSha != null && contentSha.startsWith("STREAMING-"))
            || (contentEncoding != null
                && contentEncoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
    if (awsChunked) {
      long decodedLength = parseLength(request.getHeader("x-amz-decoded-content-length"));
      if (decodedLength < 0) {
        throw new ApiException(
            411,
            "MissingContentLength",
            "An aws-chunked upload needs the x-amz-decoded-content-length header");
      }
      InputStream decoded;
      try {
        decoded =
            new AwsChunkedInputStream(
                request.getInputStream(),
                request.getHeader("x-amz-trailer"),
                decodedLength,
                chunkSignatures);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "InvalidRequest", e.getMessage());
      } catch (IOException e) {
        throw new ApiException(400, "IncompleteBody", e.getMessage());
      }
      overrides.put("x-amz-content-sha256", UNSIGNED_PAYLOAD);
      overrides.put("x-amz-decoded-content-length", null);
      overrides.put("x-amz-trailer", null);
      overrides.put("content-encoding", withoutAwsChunked(contentEncoding));
      overrides.put("content-length", Long.toString(decodedLength));
      return new ForwardedRequest(request, overrides, decoded, decodedLength);
    }
    if (contentSha != null
        && HEX_SHA256.matcher(contentSha).matches()
        && request.getContentLengthLong() == 0
        && !contentSha.equals(EMPTY_SHA256)) {
      // A signed request replayed with its body cut off must not store an empty object.
      throw new ApiException(
          400, "XAmzContentSHA256Mismatch", hashMismatch(contentSha, EMPTY_SHA256));
    }
    if (contentSha != null
        && HEX_SHA256.matcher(contentSha).matches()
        && request.getContentLengthLong() != 0) {
      try {
        return new ForwardedRequest(
            request,
            overrides,
            new HashCheckingInputStream(
                request.getInputStream(), contentSha, request.getContentLengthLong()),
            request.getContentLengthLong());
      } catch (IOException e) {
        throw new ApiException(400, "IncompleteBody", e.getMessage());
      }
    }
    return new ForwardedRequest(request, overrides, null, request.getContentLengthLong());
  }

  private static String hashMismatch(String declared, String actual) {
    return "The provided 'x-amz-content-sha256' header ("
        + declared
        + ") does not match the body's SHA-256 ("
        + actual
        + ")";
  }

  private static long parseLength(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new ApiException(
          400, "InvalidArgument", "x-amz-decoded-content-length '" + value + "' is not a number");
    }
  }

  /** Content-Encoding without the aws-chunked framing (null if nothing else is left). */
  static String withoutAwsChunked(String contentEncoding) {
    if (contentEncoding == null) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    for (String coding : contentEncoding.split(",")) {
      String trimmed = coding.trim();
      if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("aws-chunked")) {
        kept.add(trimmed);
      }
    }
    return kept.isEmpty() ? null : String.join(",", kept);
  }

  private static String s3ErrorCode(ApiException e) {
    return switch (e.code()) {
      case "UnrecognizedClientException" -> "InvalidAccessKeyId";
      case "InvalidSignatureException" ->
          e.getMessage().startsWith("Signature expired")
              ? "RequestTimeTooSkewed"
              : "SignatureDoesNotMatch";
      case "MissingAuthenticationTokenException", "IncompleteSignatureException" -> "AccessDenied";
      default -> e.code();
    };
  }

  private void writeError(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/xml");
    String requestId =
        UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    response.setHeader("x-amz-request-id", requestId);
    if ("HEAD".equals(request.getMethod())) {
      return;
    }
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + xmlEscape(code)
            + "</Code><Message>"
            + xmlEscape(message)
            + "</Message>"
            + ("AuthorizationHeaderMalformed".equals(code)
                ? "<Region>" + xmlEscape(region) + "</Region>"
                : "")
            + "<Resource>"
            + xmlEscape(request.getRequestURI())
            + "</Resource><RequestId>"
            + requestId
            + "</RequestId></Error>";
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** A request with some headers replaced or hidden and, possibly, another body. */
  private static final class ForwardedRequest extends HttpServletRequestWrapper {
    private final Map<String, String> overrides;
    private final InputStream body;
    private final long contentLength;

    ForwardedRequest(
        HttpServletRequest request,
        Map<String, String> overrides,
        InputStream body,
        long contentLength) {
      super(request);
      this.overrides = overrides;
      this.body = body;
      this.contentLength = contentLength;
    }

    @Override
    public String toString() {
      return getRequest().toString(); // what S3Proxy's request log shows: method and URI
    }

    private boolean overridden(String name) {
      return overrides.containsKey(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String getHeader(String name) {
      return overridden(name)
          ? overrides.get(name.toLowerCase(Locale.ROOT))
          : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      if (!overridden(name)) {
        return super.getHeaders(name);
      }
      String value = overrides.get(name.toLowerCase(Locale.ROOT));
      return Collections.enumeration(value == null ? List.of() : List.of(value));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = new ArrayList<>();
      for (String name : Collections.list(super.getHeaderNames())) {
        if (!overridden(name)) {
          names.add(name);
        }
      }
      overrides.forEach(
          (name, value) -> {
            if (value != null) {
              names.add(name);
            }
          });
      return Collections.enumeration(names);
    }

    @Override
    public long getDateHeader(String name) {
      return overridden(name) ? -1 : super.getDateHeader(name);
    }

    @Override
    public int getIntHeader(String name) {
      if (!overridden(name)) {
        return super.getIntHeader(name);
      }
      String value = overrides.get(name.toLowerCase(Locale.ROOT));
      return value == null ? -1 : Integer.parseInt(value);
    }

    @Override
    public int getContentLength() {
      return contentLength > Integer.MAX_VALUE ? -1 : (int) contentLength;
    }

    @Override
    public long getContentLengthLong() {
      return contentLength;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (body == null) {
        return super.getInputStream();
      }
      return new ServletInputStream() {
        private boolean finished;

        @Override
        public int read() throws IOException {
          int b = body.read();
          finished |= b < 0;
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = body.read(buffer, offset, length);
          finished |= n < 0;
          return n;
        }

        @Override
        public boolean isFinished() {
          return finished;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("S3 bodies are read blocking");
        }

        @Override
        public void close() throws IOException {
          body.close();
        }
      };
    }
  }

  /** Fails the read at the end of the body when its SHA-256 is not the signed one. */
  private static final class HashCheckingInputStream extends DigestInputStream {
    private final String expected;
    private final long length;
    private long read;
    private boolean checked;

    HashCheckingInputStream(InputStream in, String expected, long length) {
      super(in, sha256());
      this.expected = expected;
      this.length = length;
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        read++;
      }
      if (b < 0 || read == length) {
        check();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        read += n;
      }
      if (n < 0 || read == this.length) {
        check();
      }
      return n;
    }

    private void check() throws IOException {
      if (checked) {
        return;
      }
      checked = true;
      String actual = HexFormat.of().formatHex(getMessageDigest().digest());
      if (!actual.equals(expected)) {
        throw new S3BodyException("XAmzContentSHA256Mismatch", hashMismatch(expected, actual));
      }
    }
  }
}

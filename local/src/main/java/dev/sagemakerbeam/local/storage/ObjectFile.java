package dev.sagemakerbeam.local.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file format of one stored object (or multipart part, or multipart upload record): the body
 * bytes, then a header with the key and every piece of metadata, then the header's length and a
 * magic number. The header goes last so that a body can be streamed to the file while its MD5 (the
 * ETag) is computed, in one pass; the file is complete only when the magic number is there, and it
 * is published only by a rename after that (see {@link AtomicFileBlobStore}).
 */
final class ObjectFile {
  private static final long MAGIC = 0x534D4C6F626A3031L; // "SMLobj01"
  private static final int FORMAT = 1;
  private static final int TRAILER = Integer.BYTES + Long.BYTES;
  private static final int MAX_HEADER = 1 << 20;

  private ObjectFile() {}

  /** Everything an object carries besides its body. */
  record Header(
      String key,
      long size,
      String eTag,
      long lastModified,
      String contentType,
      String contentEncoding,
      String contentDisposition,
      String contentLanguage,
      String cacheControl,
      Long expires,
      String tier,
      Map<String, String> userMetadata,
      boolean publicRead) {
    Header {
      userMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(userMetadata));
    }

    Header withBody(long newSize, String newETag, long newLastModified) {
      return new Header(
          key,
          newSize,
          newETag,
          newLastModified,
          contentType,
          contentEncoding,
          contentDisposition,
          contentLanguage,
          cacheControl,
          expires,
          tier,
          userMetadata,
          publicRead);
    }

    Header withKey(String newKey) {
      return new Header(
          newKey,
          size,
          eTag,
          lastModified,
          contentType,
          contentEncoding,
          contentDisposition,
          contentLanguage,
          cacheControl,
          expires,
          tier,
          userMetadata,
          publicRead);
    }

    Header withPublicRead(boolean newPublicRead) {
      return new Header(
          key,
          size,
          eTag,
          lastModified,
          contentType,
          contentEncoding,
          contentDisposition,
          contentLanguage,
          cacheControl,
          expires,
          tier,
          userMetadata,
          newPublicRead);
    }
  }

  /** What the body was: its length and MD5. */
  record Body(long size, byte[] md5) {}

  /** Builds the header once the body is known. */
  interface HeaderFor {
    Header apply(Body body) throws IOException;
  }

  /**
   * Writes {@code body} and then the header to a new file {@code target} (which must not exist) and
   * forces both to disk.
   *
   * @param expectedLength the body's announced length, or -1; a body of another length fails
   * @return the header written
   */
  static Header write(Path target, InputStream body, long expectedLength, HeaderFor headerFor)
      throws IOException {
    MessageDigest md5 = md5();
    try (FileChannel channel =
        FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = Channels.newOutputStream(channel);
      long size = new DigestInputStream(body, md5).transferTo(out);
      if (expectedLength >= 0 && size != expectedLength) {
        throw new S3BodyException(
            "IncompleteBody",
            "The request body has "
                + size
                + " bytes where its Content-Length promised "
                + expectedLength);
      }
      Header header = headerFor.apply(new Body(size, md5.digest()));
      byte[] encoded = encode(header.withBody(size, header.eTag(), header.lastModified()));
      ByteBuffer trailer = ByteBuffer.allocate(encoded.length + TRAILER);
      trailer.put(encoded).putInt(encoded.length).putLong(MAGIC).flip();
      while (trailer.hasRemaining()) {
        channel.write(trailer);
      }
      channel.force(true);
      return header;
    }
  }

  /**
   * Reads the header of an object file from an open channel.
   *
   * @throws IOException if the file is not a complete object file
   */
  static Header readHeader(FileChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < TRAILER) {
      throw new IOException("not an object file (" + fileSize + " bytes)");
    }
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
    readFully(channel, trailer, fileSize - TRAILER);
    int headerLength = trailer.getInt(0);
    if (trailer.getLong(Integer.BYTES) != MAGIC
        || headerLength < 0
        || headerLength > MAX_HEADER
        || headerLength > fileSize - TRAILER) {
      throw new IOException("not a complete object file");
    }
    ByteBuffer encoded = ByteBuffer.allocate(headerLength);
    long bodySize = fileSize - TRAILER - headerLength;
    readFully(channel, encoded, bodySize);
    Header header = decode(encoded.array());
    if (header.size() != bodySize) {
      throw new IOException(
          "object file body has " + bodySize + " bytes, its header says " + header.size());
    }
    return header;
  }

  /** Reads the header of the object file at {@code path}. */
  static Header readHeader(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return readHeader(channel);
    }
  }

  /**
   * {@code length} bytes of the body from {@code offset}; closing the stream closes the channel.
   */
  static InputStream bodyStream(FileChannel channel, long offset, long length) throws IOException {
    channel.position(offset);
    InputStream in = Channels.newInputStream(channel);
    return new InputStream() {
      long left = length;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = in.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int off, int len) throws IOException {
        if (left <= 0) {
          return len == 0 ? 0 : -1;
        }
        int n = in.read(buffer, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new IOException("object file ends early");
      }
    }
  }

  private static byte[] encode(Header h) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(FORMAT);
    writeString(out, h.key());
    out.writeLong(h.size());
    writeString(out, h.eTag());
    out.writeLong(h.lastModified());
    writeString(out, h.contentType());
    writeString(out, h.contentEncoding());
    writeString(out, h.contentDisposition());
    writeString(out, h.contentLanguage());
    writeString(out, h.cacheControl());
    out.writeBoolean(h.expires() != null);
    out.writeLong(h.expires() == null ? 0 : h.expires());
    writeString(out, h.tier());
    out.writeInt(h.userMetadata().size());
    for (Map.Entry<String, String> e : h.userMetadata().entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
    out.writeBoolean(h.publicRead());
    out.flush();
    return bytes.toByteArray();
  }

  private static Header decode(byte[] encoded) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded));
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("unknown object file format " + format);
    }
    String key = readString(in);
    long size = in.readLong();
    String eTag = readString(in);
    long lastModified = in.readLong();
    String contentType = readString(in);
    String contentEncoding = readString(in);
    String contentDisposition = readString(in);
    String contentLanguage = readString(in);
    String cacheControl = readString(in);
    boolean hasExpires = in.readBoolean();
    long expires = in.readLong();
    String tier = readString(in);
    int n = in.readInt();
    if (n < 0 || n > MAX_HEADER) {
      throw new IOException("bad metadata count " + n);
    }
    Map<String, String> userMetadata = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      userMetadata.put(readString(in), readString(in));
    }
    boolean publicRead = in.readBoolean();
    if (key == null) {
      throw new IOException("object file without a key");
    }
    return new Header(
        key,
        size,
        eTag,
        lastModified,
        contentType,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        hasExpires ? expires : null,
        tier,
        userMetadata,
        publicRead);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > MAX_HEADER) {
      throw new IOException("bad string length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}

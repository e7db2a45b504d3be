package dev.sagemakerbeam.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Amazon Record protobuf messages straight from the wire format, without generated message
 * objects: what staging reads back, what built-in algorithms read from training data and what
 * inference responses carry.
 *
 * <p>Reads float32, float64 and int32 tensors (values widened to double, packed or unpacked as
 * proto2 allows), bytes values, and the string fields; skips unknown fields. Malformed input raises
 * {@link MalformedRecordException} naming the offset within the record and what was expected.
 *
 * <p>Stateless and thread-safe.
 */
public final class AmazonRecordDecoder {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LEN = 2;
  private static final int WIRE_START_GROUP = 3;
  private static final int WIRE_END_GROUP = 4;
  private static final int WIRE_FIXED32 = 5;

  private AmazonRecordDecoder() {}

  public static AmazonRecord decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  public static AmazonRecord decode(byte[] bytes, int offset, int length) {
    return new Cursor(bytes, offset, offset + length).readRecord();
  }

  /** A read position over one message; nested messages get their own limit. */
  private static final class Cursor {
    private final byte[] b;
    private final int base;
    private int pos;

    Cursor(byte[] b, int offset, int end) {
      if (offset < 0 || end > b.length || offset > end) {
        throw new IllegalArgumentException(
            "range [" + offset + ", " + end + ") is outside an array of " + b.length + " bytes");
      }
      this.b = b;
      this.base = offset;
      this.pos = offset;
      this.end = end;
    }

    private final int end;

    AmazonRecord readRecord() {
      Map<String, Tensor> features = new LinkedHashMap<>(2);
      Map<String, Tensor> label = new LinkedHashMap<>(2);
      String uid = null;
      String metadata = null;
      String configuration = null;
      while (pos < end) {
        int tag = readTag();
        int field = tag >>> 3;
        int wire = tag & 7;
        if (field >= 1 && field <= 5 && wire == WIRE_LEN) {
          int len = readLength();
          int limit = pos + len;
          switch (field) {
            case 1:
              readMapEntry(limit, features, "features");
              break;
            case 2:
              readMapEntry(limit, label, "label");
              break;
            case 3:
              uid = readString(len);
              break;
            case 4:
              metadata = readString(len);
              break;
            default:
              configuration = readString(len);
              break;
          }
          pos = limit;
        } else {
          skipField(tag);
        }
      }
      return new AmazonRecord(features, label, uid, metadata, configuration);
    }

    private void readMapEntry(int limit, Map<String, Tensor> into, String mapName) {
      String key = "";
      Tensor value = null;
      while (pos < limit) {
        int tag = readTag(limit);
        int field = tag >>> 3;
        int wire = tag & 7;
        if (field == 1 && wire == WIRE_LEN) {
          key = readString(readLength(limit));
        } else if (field == 2 && wire == WIRE_LEN) {
          int len = readLength(limit);
          int valueLimit = pos + len;
          value = readValue(valueLimit);
          pos = valueLimit;
        } else {
          skipField(tag, limit);
        }
      }
      if (pos != limit) {
        throw error("a " + mapName + " map entry overruns its declared length");
      }
      into.put(
          key,
          value == null ? Tensor.numeric(Tensor.Type.FLOAT32, new double[0], null, null) : value);
    }

    private Tensor readValue(int limit) {
      Tensor value = Tensor.numeric(Tensor.Type.FLOAT32, new double[0], null, null);
      while (pos < limit) {
        int tag = readTag(limit);
        int field = tag >>> 3;
        int wire = tag & 7;
        if (wire == WIRE_LEN && (field == 2 || field == 3 || field == 7)) {
          int len = readLength(limit);
          int tensorLimit = pos + len;
          Tensor.Type type =
              field == 2
                  ? Tensor.Type.FLOAT32
                  : field == 3 ? Tensor.Type.FLOAT64 : Tensor.Type.INT32;
          value = readTensor(type, tensorLimit);
          pos = tensorLimit;
        } else if (wire == WIRE_LEN && field == 9) {
          int len = readLength(limit);
          int bytesLimit = pos + len;
          value = readBytesValue(bytesLimit);
          pos = bytesLimit;
        } else {
          skipField(tag, limit);
        }
      }
      return value;
    }

    private Tensor readTensor(Tensor.Type type, int limit) {
      double[] values = null;
      long[] keys = null;
      long[] shape = null;
      while (pos < limit) {
        int tag = readTag(limit);
        int field = tag >>> 3;
        int wire = tag & 7;
        if (field == 1) {
          values = concat(values, readNumbers(type, wire, tag, limit));
        } else if (field == 2) {
          keys = concat(keys, readUInt64s(wire, tag, limit));
        } else if (field == 3) {
          shape = concat(shape, readUInt64s(wire, tag, limit));
        } else {
          skipField(tag, limit);
        }
      }
      return Tensor.numeric(type, values == null ? new double[0] : values, keys, shape);
    }

    private double[] readNumbers(Tensor.Type type, int wire, int tag, int limit) {
      int elementWire =
          type == Tensor.Type.FLOAT32
              ? WIRE_FIXED32
              : type == Tensor.Type.FLOAT64 ? WIRE_FIXED64 : WIRE_VARINT;
      if (wire == elementWire) { // unpacked: one element
        return new double[] {readNumber(type, limit)};
      }
      if (wire != WIRE_LEN) {
        throw error(
            "tensor values ("
                + type
                + ") have wire type "
                + wire
                + "; expected "
                + WIRE_LEN
                + " (packed) or "
                + elementWire);
      }
      int len = readLength(limit);
      int valuesEnd = pos + len;
      double[] out;
      if (type == Tensor.Type.FLOAT32) {
        if ((len & 3) != 0) {
          throw error("packed float32 values take " + len + " bytes, not a multiple of 4");
        }
        out = new double[len >>> 2];
        byte[] bytes = b;
        int p = pos;
        for (int i = 0; i < out.length; i++, p += 4) {
          out[i] = Float.intBitsToFloat((int) INT_LE.get(bytes, p));
        }
      } else if (type == Tensor.Type.FLOAT64) {
        if ((len & 7) != 0) {
          throw error("packed float64 values take " + len + " bytes, not a multiple of 8");
        }
        out = new double[len >>> 3];
        int p = pos;
        for (int i = 0; i < out.length; i++, p += 8) {
          out[i] = Double.longBitsToDouble((long) LONG_LE.get(b, p));
        }
      } else {
        out = new double[countVarints(valuesEnd)];
        for (int i = 0; i < out.length; i++) {
          out[i] = (int) readVarint64(valuesEnd);
        }
      }
      pos = valuesEnd;
      return out;
    }

    private double readNumber(Tensor.Type type, int limit) {
      if (type == Tensor.Type.FLOAT32) {
        need(4, limit, "a float32 value");
        double v = Float.intBitsToFloat((int) INT_LE.get(b, pos));
        pos += 4;
        return v;
      }
      if (type == Tensor.Type.FLOAT64) {
        need(8, limit, "a float64 value");
        double v = Double.longBitsToDouble((long) LONG_LE.get(b, pos));
        pos += 8;
        return v;
      }
      return (int) readVarint64(limit);
    }

    private long[] readUInt64s(int wire, int tag, int limit) {
      if (wire == WIRE_VARINT) {
        return new long[] {readVarint64(limit)};
      }
      if (wire != WIRE_LEN) {
        throw error("tensor keys or shape have wire type " + wire + "; expected 0 or 2");
      }
      int len = readLength(limit);
      int valuesEnd = pos + len;
      long[] out = new long[countVarints(valuesEnd)];
      for (int i = 0; i < out.length; i++) {
        out[i] = readVarint64(valuesEnd);
      }
      return out;
    }

    /**
     * Number of varints in {@code [pos, end)}: one per byte with the high bit clear. Sizes packed
     * arrays exactly, so nothing is allocated from the length field alone. A trailing incomplete
     * varint is not counted; reading it then fails in {@link #readVarint64}.
     */
    private int countVarints(int end) {
      int count = 0;
      for (int p = pos; p < end; p++) {
        if (b[p] >= 0) {
          count++;
        }
      }
      if (end > pos && b[end - 1] < 0) {
        throw error("packed varints end inside a varint");
      }
      return count;
    }

    private Tensor readBytesValue(int limit) {
      List<byte[]> values = new ArrayList<>();
      String contentType = null;
      while (pos < limit) {
        int tag = readTag(limit);
        int field = tag >>> 3;
        int wire = tag & 7;
        if (field == 1 && wire == WIRE_LEN) {
          int len = readLength(limit);
          values.add(Arrays.copyOfRange(b, pos, pos + len));
          pos += len;
        } else if (field == 2 && wire == WIRE_LEN) {
          contentType = readString(readLength(limit));
        } else {
          skipField(tag, limit);
        }
      }
      return Tensor.bytes(values, contentType);
    }

    private String readString(int len) {
      String s = new String(b, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    private int readTag() {
      return readTag(end);
    }

    private int readTag(int limit) {
      long tag = readVarint64(limit);
      if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
        throw error("invalid field tag " + tag);
      }
      return (int) tag;
    }

    private int readLength() {
      return readLength(end);
    }

    private int readLength(int limit) {
      long len = readVarint64(limit);
      if (len < 0 || len > limit - pos) {
        throw error(
            "a length-delimited field claims "
                + len
                + " bytes but only "
                + (limit - pos)
                + " remain in its enclosing message");
      }
      return (int) len;
    }

    private long readVarint64(int limit) {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= limit) {
          throw error("the message ends inside a varint");
        }
        byte x = b[pos++];
        result |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return result;
        }
      }
      throw error("a varint is longer than 10 bytes");
    }

    private void skipField(int tag) {
      skipField(tag, end);
    }

    private void skipField(int tag, int limit) {
      switch (tag & 7) {
        case WIRE_VARINT:
          readVarint64(limit);
          break;
        case WIRE_FIXED64:
          need(8, limit, "a fixed64 field");
          pos += 8;
          break;
        case WIRE_LEN:
          pos += readLength(limit);
          break;
        case WIRE_FIXED32:
          need(4, limit, "a fixed32 field");
          pos += 4;
          break;
        case WIRE_START_GROUP:
        case WIRE_END_GROUP:
        default:
          throw error(
              "field "
                  + (tag >>> 3)
                  + " has wire type "
                  + (tag & 7)
                  + ", which Amazon Records never use");
      }
    }

    private void need(int n, int limit, String what) {
      if (limit - pos < n) {
        throw error(
            "the message ends inside "
                + what
                + " ("
                + n
                + " bytes needed, "
                + (limit - pos)
                + " left)");
      }
    }

    private MalformedRecordException error(String what) {
      return new MalformedRecordException(
          "Malformed Amazon Record at byte " + (pos - base) + " of " + (end - base) + ": " + what);
    }

    private static double[] concat(double[] a, double[] b) {
      if (a == null) {
        return b;
      }
      double[] c = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, c, a.length, b.length);
      return c;
    }

    private static long[] concat(long[] a, long[] b) {
      if (a == null) {
        return b;
      }
      long[] c = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, c, a.length, b.length);
      return c;
    }
  }
}

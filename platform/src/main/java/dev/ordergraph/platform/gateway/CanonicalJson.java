package dev.ordergraph.platform.gateway;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON as the gateway's signer writes it before signing: npm's {@code json-stable-stringify}, which is
 * JavaScript's {@code JSON.stringify} with the keys of every object sorted and no whitespace. The signature
 * covers these exact bytes, so every detail counts:
 * <ul>
 *   <li>keys sorted by UTF-16 code units, as {@code Array.prototype.sort} sorts strings ({@link String#compareTo});</li>
 *   <li>strings escaped as {@code JSON.stringify} escapes them: {@code \"}, {@code \\}, {@code \b \f \n \r \t},
 *   other characters below U+0020 and lone surrogates as lowercase {@code &#92;u00xx}; everything else raw;</li>
 *   <li>numbers as JavaScript prints them. The gateway holds every number as an IEEE double, so a number here is
 *   first read as JavaScript would read its JSON text (the nearest double: {@code 9007199254740993} is
 *   {@code 9007199254740992}, {@code 1.0} is {@code 1}), then printed with the shortest digits that read back
 *   to that double, in JavaScript's notation: integral values without {@code .0} up to 10^21, then
 *   {@code 1e+21}; {@code 0.000001} but {@code 1e-7}; {@code -0} as {@code 0}.</li>
 * </ul>
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> quote(s, out);
            case Boolean b -> out.append(b);
            case Number n -> out.append(number(n));
            case Map<?, ?> map -> object(map, out);
            case Collection<?> list -> array(list, out);
            case Object[] array -> array(List.of(array), out);
            default -> quote(String.valueOf(value), out); // enums, characters: JSON has them as strings
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        List<String> keys = new ArrayList<>(map.size());
        map.keySet().forEach(key -> keys.add(String.valueOf(key)));
        keys.sort(null);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String key = keys.get(i);
            quote(key, out);
            out.append(':');
            write(map.containsKey(key) ? map.get(key) : valueOfNonStringKey(map, key), out);
        }
        out.append('}');
    }

    /** A map whose keys are not strings (built in Java, not parsed from JSON): the value under the key that prints as {@code key}. */
    private static Object valueOfNonStringKey(Map<?, ?> map, String key) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (String.valueOf(entry.getKey()).equals(key)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static void array(Collection<?> list, StringBuilder out) {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(item, out);
        }
        out.append(']');
    }

    static void quote(String s, StringBuilder out) {
        out.append('"');
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        escape(c, out);
                    } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i)); // a pair: one code point, written raw
                    } else if (Character.isSurrogate(c)) {
                        escape(c, out); // a lone surrogate: well-formed JSON.stringify escapes it (ES2019)
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void escape(char c, StringBuilder out) {
        String hex = Integer.toHexString(c);
        out.append("\\u").append("0000", hex.length(), 4).append(hex);
    }

    /** {@code n} as JavaScript prints the double it reads {@code n}'s JSON text as. */
    static String number(Number n) {
        double value = switch (n) {
            case Double d -> d;
            case Integer i -> i;
            case Long l -> l; // rounded to nearest, like JavaScript reading the same digits
            case Short s -> s;
            case Byte b -> b;
            // Float as the digits it prints as (what a JSON writer writes), BigInteger/BigDecimal correctly rounded.
            default -> Double.parseDouble(n.toString());
        };
        return javaScript(value);
    }

    /** ECMAScript's Number::toString(x) for radix 10. */
    static String javaScript(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "null"; // JSON.stringify's answer; JSON text cannot hold them anyway
        }
        if (x == 0) {
            return "0"; // and -0
        }
        if (x < 0) {
            return "-" + javaScript(-x);
        }
        BigDecimal shortest = shortest(x);
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // x = digits × 10^(n-k)
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        String exponent = "e" + (n - 1 < 0 ? "-" : "+") + Math.abs(n - 1);
        return k == 1 ? digits + exponent : digits.charAt(0) + "." + digits.substring(1) + exponent;
    }

    /**
     * The decimal with the fewest digits that reads back as {@code x}, the closest to {@code x} among them.
     * {@link Double#toString} gives it (JDK 19+), except that where one digit would do it may give two that
     * are closer (only for subnormals: {@code 4.9E-324} where JavaScript prints {@code 5e-324}).
     */
    private static BigDecimal shortest(double x) {
        BigDecimal java = new BigDecimal(Double.toString(x)).stripTrailingZeros();
        if (java.precision() != 2) {
            return java;
        }
        BigDecimal exact = new BigDecimal(x);
        BigInteger lower = java.unscaledValue().divide(BigInteger.TEN);
        BigDecimal best = null;
        for (BigInteger digit : List.of(lower, lower.add(BigInteger.ONE))) {
            BigDecimal candidate = new BigDecimal(digit, java.scale() - 1);
            if (digit.signum() > 0 && Double.parseDouble(candidate.toString()) == x
                    && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = candidate;
            }
        }
        return best == null ? java : best.stripTrailingZeros();
    }
}

package dev.workbookrelay.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Locale;

/**
 * A cell as users mean it, from what Excel's workbook API answers ({@code values}, {@code valueTypes},
 * {@code numberFormat}): text as a string, numbers as JSON numbers, booleans as booleans, dates (serial numbers
 * under a date format) as ISO-8601, errors as {@code {"error": "#N/A"}}, empty cells as null. The same cell gives
 * the same JSON whichever way it was read.
 */
public final class CellValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Excel's day 0 for serials after its phantom 1900-02-29 (serial 60); earlier serials count from a day later. */
    private static final LocalDate EPOCH = LocalDate.of(1899, 12, 30);
    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** What a number format makes of a number. */
    enum Kind { NUMBER, DATE, DATE_TIME, TIME }

    private CellValues() {
    }

    /** The cell's JSON value; null for an empty cell. */
    public static JsonNode value(JsonNode raw, String valueType, String numberFormat) {
        String type = valueType == null ? "" : valueType;
        if (raw == null || raw.isNull() || type.equalsIgnoreCase("Empty")
                || (raw.isTextual() && raw.asText().isEmpty() && !type.equalsIgnoreCase("String"))) {
            return null;
        }
        if (type.equalsIgnoreCase("Error")) {
            ObjectNode error = NODES.objectNode();
            error.put("error", raw.asText());
            return error;
        }
        if (raw.isBoolean()) {
            return raw;
        }
        if (raw.isNumber()) {
            return number(raw.asDouble(), kind(numberFormat));
        }
        return NODES.textNode(raw.asText());
    }

    private static JsonNode number(double serial, Kind kind) {
        if (kind == Kind.NUMBER || serial < 0 || serial >= 2_958_466) { // past 9999-12-31 Excel shows ####
            return serial == Math.rint(serial) && Math.abs(serial) < 1e15 ? NODES.numberNode((long) serial)
                    : NODES.numberNode(serial);
        }
        long millis = Math.round(serial * MILLIS_PER_DAY);
        long days = Math.floorDiv(millis, MILLIS_PER_DAY);
        LocalTime time = LocalTime.ofNanoOfDay(Math.floorMod(millis, MILLIS_PER_DAY) * 1_000_000L);
        LocalDate date = (days < 61 ? EPOCH.plusDays(1) : EPOCH).plusDays(days);
        return NODES.textNode(switch (kind) {
            case DATE -> date.toString();
            case TIME -> time.toString().length() == 5 ? time + ":00" : time.toString();
            default -> LocalDateTime.of(date, time).toString().length() == 16 ? LocalDateTime.of(date, time) + ":00"
                    : LocalDateTime.of(date, time).toString();
        });
    }

    /**
     * Whether a number format shows a date, a time, both, or a number. Quoted text, escaped characters, colours and
     * locales ({@code [Red]}, {@code [$-409]}) are ignored; elapsed time ({@code [h]:mm}) is a number of days.
     */
    static Kind kind(String numberFormat) {
        if (numberFormat == null || numberFormat.isBlank() || numberFormat.equalsIgnoreCase("General")) {
            return Kind.NUMBER;
        }
        String section = numberFormat.split(";", -1)[0];
        StringBuilder codes = new StringBuilder();
        for (int i = 0; i < section.length(); i++) {
            char c = section.charAt(i);
            if (c == '"') {
                int end = section.indexOf('"', i + 1);
                i = end < 0 ? section.length() : end;
            } else if (c == '\\' || c == '_' || c == '*') {
                i++; // the next character is literal (or a width / fill character)
            } else if (c == '[') {
                int end = section.indexOf(']', i + 1);
                String inside = end < 0 ? "" : section.substring(i + 1, end).toLowerCase(Locale.ROOT);
                if (inside.matches("h+|m+|s+")) {
                    return Kind.NUMBER;
                }
                i = end < 0 ? section.length() : end;
            } else {
                codes.append(Character.toLowerCase(c));
            }
        }
        String f = codes.toString();
        boolean time = f.indexOf('h') >= 0 || f.indexOf('s') >= 0;
        boolean date = f.indexOf('y') >= 0 || f.indexOf('d') >= 0 || (f.indexOf('m') >= 0 && !time);
        return date && time ? Kind.DATE_TIME : date ? Kind.DATE : time ? Kind.TIME : Kind.NUMBER;
    }

    /** A cell's value as a row key: text as is, numbers and dates as they print; null when it cannot name a row. */
    static String keyText(JsonNode value) {
        if (value == null || value.isNull() || value.isObject()) {
            return null;
        }
        String text = value.isTextual() ? value.asText().trim() : value.toString();
        return text.isEmpty() ? null : text;
    }
}

package dev.workbookrelay.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the A1 cell references of a formula: to fill in the cells of an Excel shared formula (stored once, in its
 * first cell) and to write {@code formulasR1C1}. Text in double quotes and quoted sheet names are left alone; a
 * reference is letters then digits standing alone, not a function name ({@code LOG10(}) nor a sheet name
 * ({@code Q1!}). Whole-column and whole-row references ({@code A:A}, {@code 1:1}) stay as they are.
 */
final class FormulaRefs {

    private static final Pattern REFERENCE =
            Pattern.compile("(?<![A-Za-z0-9_.$])(\\$?)([A-Z]{1,3})(\\$?)([0-9]{1,7})(?![A-Za-z0-9_(!])");

    private FormulaRefs() {
    }

    /** The formula as it reads in a cell {@code rows} down and {@code columns} right of where it is written. */
    static String shift(String formula, int rows, int columns) {
        return rewrite(formula, (rowAnchored, row, columnAnchored, column) -> {
            int newRow = rowAnchored ? row : row + rows;
            int newColumn = columnAnchored ? column : column + columns;
            if (newRow < 0 || newRow >= CellRange.MAX_ROWS || newColumn < 0 || newColumn >= CellRange.MAX_COLUMNS) {
                return "#REF!";
            }
            return (columnAnchored ? "$" : "") + CellRange.columnLetters(newColumn)
                    + (rowAnchored ? "$" : "") + (newRow + 1);
        });
    }

    /** R1C1 notation as seen from the cell ({@code row}, {@code column}): {@code B1} in C3 is {@code R[-2]C[-1]}. */
    static String toR1C1(String formula, int row, int column) {
        return rewrite(formula, (rowAnchored, refRow, columnAnchored, refColumn) ->
                "R" + part(rowAnchored, refRow, row) + "C" + part(columnAnchored, refColumn, column));
    }

    private static String part(boolean anchored, int target, int from) {
        if (anchored) {
            return Integer.toString(target + 1);
        }
        return target == from ? "" : "[" + (target - from) + "]";
    }

    private interface Reference {
        String rewrite(boolean rowAnchored, int row, boolean columnAnchored, int column);
    }

    private static String rewrite(String formula, Reference reference) {
        StringBuilder out = new StringBuilder(formula.length() + 8);
        int plainFrom = 0;
        for (int i = 0; i <= formula.length(); i++) {
            char c = i < formula.length() ? formula.charAt(i) : 0;
            if (i == formula.length() || c == '"' || c == '\'') {
                rewritePlain(formula.substring(plainFrom, i), reference, out);
                if (i == formula.length()) {
                    break;
                }
                int end = closingQuote(formula, i, c);
                out.append(formula, i, end);
                plainFrom = end;
                i = end - 1;
            }
        }
        return out.toString();
    }

    /** The index after the quote closing the one at {@code open}; a doubled quote inside is part of the text. */
    private static int closingQuote(String formula, int open, char quote) {
        int i = open + 1;
        while (i < formula.length()) {
            if (formula.charAt(i) == quote) {
                if (i + 1 < formula.length() && formula.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return formula.length();
    }

    private static void rewritePlain(String text, Reference reference, StringBuilder out) {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            int[] cell = CellRange.cell(m.group(2) + m.group(4));
            String replacement = cell == null ? m.group()
                    : reference.rewrite(!m.group(3).isEmpty(), cell[0], !m.group(1).isEmpty(), cell[1]);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
    }
}

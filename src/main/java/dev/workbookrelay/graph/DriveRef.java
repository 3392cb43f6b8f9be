package dev.workbookrelay.graph;

import java.util.regex.Pattern;

/**
 * A drive as a source names it: {@code me}, {@code drives/{id}}, {@code sites/{id}}, {@code users/{id}} or
 * {@code groups/{id}}; {@link #path()} is its Graph address ({@code /v1.0/me/drive}, {@code /v1.0/sites/{id}/drive}…).
 */
public record DriveRef(String name, String path) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9!_.,@%:-]+");

    public static DriveRef parse(String drive) {
        String d = drive == null || drive.isBlank() ? "me" : drive.trim();
        if (d.startsWith("/")) {
            d = d.substring(1);
        }
        if (d.equals("me")) {
            return new DriveRef(d, "/v1.0/me/drive");
        }
        int slash = d.indexOf('/');
        String kind = slash < 0 ? d : d.substring(0, slash);
        String id = slash < 0 ? "" : d.substring(slash + 1);
        if (id.isEmpty() || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("drive must be me, drives/{id}, sites/{id}, users/{id} or groups/{id}; got: "
                    + drive);
        }
        String encodedId = id.replace(",", "%2C"); // site ids are "host,siteGuid,webGuid"
        return switch (kind) {
            case "drives" -> new DriveRef(d, "/v1.0/drives/" + encodedId);
            case "sites", "users", "groups" -> new DriveRef(d, "/v1.0/" + kind + "/" + encodedId + "/drive");
            default -> throw new IllegalArgumentException(
                    "drive must be me, drives/{id}, sites/{id}, users/{id} or groups/{id}; got: " + drive);
        };
    }
}

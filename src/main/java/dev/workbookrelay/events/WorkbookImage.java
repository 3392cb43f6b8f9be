package dev.workbookrelay.events;

/**
 * What a workbook event says about a workbook: the {@code after} (or {@code before}) image. Times are as Graph
 * sent them (ISO-8601 UTC); {@code parentPath} is the folder inside the drive, {@code /} for the root.
 */
public record WorkbookImage(
        String id,
        String name,
        String driveId,
        String parentId,
        String parentPath,
        String webUrl,
        Long size,
        String eTag,
        String cTag,
        String createdDateTime,
        String lastModifiedDateTime,
        Modifier lastModifiedBy) {

    /** Who last modified the workbook, as Graph's identitySet names them. */
    public record Modifier(String displayName, String email, String id) {
    }
}

package dev.workbookrelay.sandbox;

import java.nio.file.Path;
import java.util.Locale;

/** One Nango connection's drive: the folder it serves, its identities, its index and its delta feed. */
final class EmulatedDrive {

    /** The person the drive belongs to, shown as owner, createdBy and lastModifiedBy. */
    record Person(String id, String displayName, String email) {
    }

    final String providerConfigKey;
    final String connectionId;
    final String driveId;
    final Path root;
    final Person owner;
    /** {@code https://contoso.sharepoint.com/personal/<slug>/Documents}: items append their path. */
    final String webUrl;
    final DriveIndex index;
    final DeltaFeed delta;

    EmulatedDrive(String providerConfigKey, String connectionId, Path root) {
        this.providerConfigKey = providerConfigKey;
        this.connectionId = connectionId;
        this.driveId = ItemIds.driveId(providerConfigKey, connectionId);
        this.root = root;
        String slug = connectionId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        this.owner = new Person(ItemIds.uuid("user\n" + providerConfigKey + "\n" + connectionId).toString(),
                "Sandbox User (" + connectionId + ")", slug + "@contoso.onmicrosoft.com");
        this.webUrl = "https://contoso.sharepoint.com/personal/" + slug + "_contoso_onmicrosoft_com/Documents";
        this.index = new DriveIndex(root, driveId);
        this.delta = new DeltaFeed(driveId);
    }
}

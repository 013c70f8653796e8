package io.presenced.directory;

/** The kind of an extension, as RingCentral names them. */
public enum ExtensionType {
    User, Department, Announcement, Voicemail, SharedLinesGroup, PagingOnly, ParkLocation, IvrMenu,
    ApplicationExtension, Limited, Bot, Room, Site, DelegatedLinesGroup, GroupCallPickup, FlexibleUser
}

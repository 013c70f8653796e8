package io.presenced.directory;

/** Whether an extension is in service. */
public enum ExtensionStatus { Enabled, Disabled }

package io.presenced.directory;

/** The user role of an extension: an Admin reads and edits any presence of its account, a User only its own. */
public enum Role { Admin, User }

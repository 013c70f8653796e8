/** The directory: accounts, their extensions and departments, cached in memory and kept in step with the store. */
package io.presenced.directory;

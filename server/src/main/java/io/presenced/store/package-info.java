/**
 * The store: the one place that knows SQL. {@link io.presenced.store.Store} is the contract every backend
 * meets; {@link io.presenced.store.JdbcStore} implements it over a {@link io.presenced.store.Database}.
 */
package io.presenced.store;

/** The store on PostgreSQL: the same {@link io.presenced.store.JdbcStore} over a pooled PostgreSQL {@link io.presenced.store.Database}. */
package io.presenced.store.postgres;

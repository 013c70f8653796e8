/** The one row format of every scenario, its table and JSON printing, and the limit figures rows compare with. */
package io.presenced.bench.report;

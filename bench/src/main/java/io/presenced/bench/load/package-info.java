/** Load generators that cause presence events at an offered rate: PUT presence and telephony ingest. */
package io.presenced.bench.load;

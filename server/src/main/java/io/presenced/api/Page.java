package io.presenced.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import java.util.function.IntFunction;

/**
 * One page of a list, as RingCentral pages them: {@code page} is 1-based, {@code perPage} defaults
 * to 100 and is capped at 1000; {@code from}/{@code to} are the half-open range of list indexes shown.
 */
record Page(int page, int perPage, int from, int to, int total) {
    static final int DEFAULT_PER_PAGE = 100;
    static final int MAX_PER_PAGE = 1000;

    /** The page a request asks for, over a list of {@code total} items. */
    static Page of(ServerRequest req, int total) {
        int page = Requests.positiveInt(req, "page").orElse(1);
        int perPage = Math.min(Requests.positiveInt(req, "perPage").orElse(DEFAULT_PER_PAGE), MAX_PER_PAGE);
        int from = (int) Math.min(total, (long) (page - 1) * perPage);
        int to = (int) Math.min(total, (long) from + perPage);
        return new Page(page, perPage, from, to, total);
    }

    int totalPages() {
        return Math.max(1, (total + perPage - 1) / perPage);
    }

    /** Adds {@code navigation} and {@code paging} to a list body; {@code uri} gives the link of a page. */
    void describe(ObjectNode body, IntFunction<String> uri) {
        ObjectNode nav = body.putObject("navigation");
        nav.putObject("firstPage").put("uri", uri.apply(1));
        if (page < totalPages()) {
            nav.putObject("nextPage").put("uri", uri.apply(page + 1));
        }
        if (page > 1) {
            nav.putObject("previousPage").put("uri", uri.apply(Math.min(page - 1, totalPages())));
        }
        nav.putObject("lastPage").put("uri", uri.apply(totalPages()));
        ObjectNode paging = body.putObject("paging");
        paging.put("page", page);
        paging.put("perPage", perPage);
        if (to > from) {
            paging.put("pageStart", from);
            paging.put("pageEnd", to - 1);
        }
        paging.put("totalPages", totalPages());
        paging.put("totalElements", total);
    }
}

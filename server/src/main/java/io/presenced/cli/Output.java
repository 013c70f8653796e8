package io.presenced.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presenced.PresencedException;

/** Prints a command's result as JSON or as a line for people. */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private Output() {
    }

    static void print(boolean json, Object result, String human) {
        if (json) {
            try {
                System.out.println(JSON.writeValueAsString(result));
            } catch (JsonProcessingException e) {
                throw new PresencedException("cannot print the result", e);
            }
        } else {
            System.out.println(human);
        }
    }
}

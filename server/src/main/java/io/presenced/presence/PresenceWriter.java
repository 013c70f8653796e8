package io.presenced.presence;

import io.presenced.PresencedException;
import io.presenced.directory.Extension;
import io.presenced.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The single writer of presence state. Callers hand it a change and wait; one platform thread
 * drains the queue, applies each change to the latest state, assigns the next sequence to every
 * change visible in an event, and commits the whole batch (states and events) in one durable
 * transaction before anyone is answered: group commit instead of locks. Only this thread writes
 * the live state map, so a sequence can neither repeat nor go back.
 */
public final class PresenceWriter implements AutoCloseable {
    private static final int MAX_BATCH = 4096;
    private static final System.Logger LOG = System.getLogger(PresenceWriter.class.getName());

    private record Command(Extension extension, UnaryOperator<PresenceState> change,
                           CompletableFuture<PresenceState> done) {
    }

    private final Store store;
    private final Clock clock;
    private final Map<Long, PresenceState> states = new ConcurrentHashMap<>();
    private final BlockingQueue<Command> queue = new ArrayBlockingQueue<>(16 * MAX_BATCH);
    private final List<Consumer<List<PresenceEvent>>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private PresenceWriter(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        store.forEachPresence(s -> states.put(s.extensionId(), s));
        this.thread = Thread.ofPlatform().name("presence-writer").daemon(false).start(this::run);
    }

    /** A writer that starts from the states in {@code store}. */
    public static PresenceWriter start(Store store, Clock clock) {
        return new PresenceWriter(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"));
    }

    /** The latest committed state of an extension (its initial state if it never changed). */
    public PresenceState current(Extension extension) {
        PresenceState state = states.get(extension.id());
        return state != null ? state : PresenceState.initial(extension);
    }

    /** How many extensions have a stored state. */
    public int size() {
        return states.size();
    }

    /** Calls {@code listener} with the events of every committed batch, on the writer thread, in log order. */
    public void onCommit(Consumer<List<PresenceEvent>> listener) {
        listeners.add(listener);
    }

    /** One change for {@link #applyAll}: a pure function of the extension's latest state. */
    public record Change(Extension extension, UnaryOperator<PresenceState> change) {
    }

    /**
     * Applies {@code change} to the extension's latest state and returns the new state once it is
     * durable. The change must be a pure function; its sequence is assigned here.
     */
    public PresenceState apply(Extension extension, UnaryOperator<PresenceState> change) {
        return applyAll(List.of(new Change(extension, change))).getFirst();
    }

    /**
     * Applies several changes, in order, and returns their new states once all of them are durable
     * (they usually share one commit). A change that throws fails the whole call after the others
     * were applied.
     */
    public List<PresenceState> applyAll(List<Change> changes) {
        if (!running) {
            throw new PresencedException("the presence writer is stopped");
        }
        List<Command> commands = new ArrayList<>(changes.size());
        try {
            for (Change change : changes) {
                Command command = new Command(change.extension(), change.change(), new CompletableFuture<>());
                while (!queue.offer(command, 100, TimeUnit.MILLISECONDS)) {
                    if (!running) {
                        throw new PresencedException("the presence writer is stopped");
                    }
                }
                commands.add(command);
            }
            List<PresenceState> results = new ArrayList<>(commands.size());
            for (Command command : commands) {
                results.add(await(command));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PresencedException("interrupted while writing presence", e);
        }
    }

    private PresenceState await(Command command) throws InterruptedException {
        while (true) {
            try {
                return command.done().get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!thread.isAlive() && !command.done().isDone()) {
                    throw new PresencedException("the presence writer stopped before committing this change");
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new PresencedException("presence write failed", e.getCause());
            }
        }
    }

    private void run() {
        List<Command> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Command first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
        // Anything queued after the last batch is refused rather than left waiting.
        Command late;
        while ((late = queue.poll()) != null) {
            late.done().completeExceptionally(new PresencedException("the presence writer is stopped"));
        }
    }

    private void commit(List<Command> batch) {
        Map<Long, PresenceState> working = new LinkedHashMap<>();
        List<PresenceEvent> events = new ArrayList<>();
        List<PresenceState> results = new ArrayList<>(batch.size());
        var now = clock.instant();
        for (Command command : batch) {
            long id = command.extension().id();
            PresenceState before = working.containsKey(id) ? working.get(id) : current(command.extension());
            PresenceState after;
            try {
                // Derive presenceStatus before comparing, so that a change only in appearance makes no event.
                after = command.change().apply(before).withSequence(before.sequence());
            } catch (RuntimeException e) {
                command.done().completeExceptionally(e);
                results.add(null);
                continue;
            }
            if (after.differsInEventFrom(before)) {
                after = after.withSequence(before.sequence() + 1);
                events.add(PresenceEvent.of(before, after, now));
                working.put(id, after);
            } else if (!after.equals(before)) {
                working.put(id, after.withSequence(before.sequence()));
            }
            results.add(working.getOrDefault(id, before));
        }
        try {
            List<PresenceEvent> logged = working.isEmpty() ? List.of()
                    : store.commitPresence(List.copyOf(working.values()), events);
            states.putAll(working);
            for (int i = 0; i < batch.size(); i++) {
                if (results.get(i) != null) {
                    batch.get(i).done().complete(results.get(i));
                }
            }
            if (!logged.isEmpty()) {
                notifyListeners(logged);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "presence batch of " + batch.size() + " failed to commit", e);
            batch.forEach(c -> c.done().completeExceptionally(e));
        }
    }

    private void notifyListeners(List<PresenceEvent> logged) {
        for (Consumer<List<PresenceEvent>> listener : listeners) {
            try {
                listener.accept(logged);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a presence event listener failed", e);
            }
        }
    }

    /** Stops taking changes, commits what is queued, and waits for the writer thread to end. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

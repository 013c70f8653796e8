package io.presenced.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.presenced.PresencedException;
import io.presenced.presence.CallDirection;
import io.presenced.presence.DndStatus;
import io.presenced.presence.MeetingStatus;
import io.presenced.presence.PartyStatus;
import io.presenced.presence.UserStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Makes a server look like a busy office: inbound calls that ring and are answered or missed, outbound
 * and internal calls, hold and resume, transfers, park and pick-up, meetings, and users changing their
 * status and Do-Not-Disturb. Everything it does follows from the seed (the same seed gives the same
 * calls, parties and order); only the wall-clock times differ between runs. It runs on one thread.
 */
public final class Simulator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FLUSH_MILLIS = 50;

    /** How to run. */
    public record Settings(int extensions, double callsPerSecond, Duration duration, long seed, boolean hangUp) {
        /** Settings that end every call and meeting still going when the run stops. */
        public Settings(int extensions, double callsPerSecond, Duration duration, long seed) {
            this(extensions, callsPerSecond, duration, seed, true);
        }
    }

    /** What a run did. */
    public record Summary(long telephonyItems, long meetingItems, long statusChanges, long calls, long rejected,
                          long throttled, double itemsPerSecond, Duration elapsed) {
    }

    private record Action(long at, long order, Runnable run) {
    }

    private final SimClient client;
    private final Settings settings;
    private final Random random;
    private final CallPlans plans;
    private final PriorityQueue<Action> agenda = new PriorityQueue<>(
            (a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.order(), b.order()));
    private List<Long> people = List.of();
    private Office office;
    private Instant base;
    private long order;
    private long current;
    private long calls;
    private ArrayNode telephony = JSON.createArrayNode();
    private ArrayNode meetings = JSON.createArrayNode();
    private final Map<Long, String> puts = new HashMap<>();
    private long telephonyItems;
    private long meetingItems;
    private long statusChanges;
    private long rejected;
    private long throttled;
    private long throttledUntil;

    private Simulator(SimClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.plans = new CallPlans(random, this::party, this::idle);
    }

    /** A simulator for the server at {@code url}, logged in with an admin's JWT through an app that may ingest. */
    public static Simulator connect(String url, String clientId, String clientSecret, String adminJwt,
                                    Settings settings) {
        return connect(url, clientId, clientSecret, adminJwt, Map.of(), settings);
    }

    /**
     * A simulator as above, in which the users whose JWT credentials are given ({@code userJwts} by extension id)
     * change their own status, as people do; the admin changes the others'.
     */
    public static Simulator connect(String url, String clientId, String clientSecret, String adminJwt,
                                    Map<Long, String> userJwts, Settings settings) {
        SimClient client = new SimClient(url);
        client.login(clientId, clientSecret, adminJwt);
        userJwts.forEach((id, jwt) -> client.loginUser(id, clientId, clientSecret, jwt));
        return new Simulator(client, settings);
    }

    /** Runs for the configured duration, printing a progress line each second to {@code progress}. */
    public Summary run(PrintStream progress) {
        List<Long> users = client.users();
        if (users.isEmpty()) {
            throw new PresencedException("the account has no enabled User extensions to simulate");
        }
        people = users.subList(0, Math.min(settings.extensions(), users.size()));
        office = new Office(people);
        base = Instant.now();
        long end = settings.duration().toMillis();
        scheduleAll();
        long started = System.nanoTime();
        long lastReport = 0;
        while (true) {
            long now = (System.nanoTime() - started) / 1_000_000;
            if (now >= end) {
                break;
            }
            runUntil(now);
            flush();
            if (now - lastReport >= 1000) {
                lastReport = now;
                progress.printf("\rt=%3ds  sent %d items (%.0f/s)  rejected %d  throttled %d  active calls %d ",
                        now / 1000, sent(), sent() * 1000.0 / Math.max(1, now), rejected, throttled,
                        office.activeCalls());
            }
            sleep(Math.min(FLUSH_MILLIS, agenda.isEmpty() ? FLUSH_MILLIS : Math.max(1, agenda.peek().at() - now)));
        }
        if (settings.hangUp()) {
            // The office closes: calls still going are hung up and meetings left, so that nobody stays on a call.
            long now = (System.nanoTime() - started) / 1_000_000;
            runUntil(now);
            for (Office.Open open : office.open()) {
                if (open.party() != null) {
                    party(now, open.extension(), open.session(), open.party(), open.direction(),
                            PartyStatus.Disconnected, "+15550000000", "Customer");
                } else {
                    meetingEvent(now, open.extension(), open.session(), MeetingStatus.Disconnected);
                }
            }
            runUntil(now);
        }
        flush();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (!puts.isEmpty()) {
            progress.printf("%nwaiting for the rate limit to send %d status changes…", puts.size());
        }
        drain(Duration.ofSeconds(90));
        progress.println();
        return new Summary(telephonyItems, meetingItems, statusChanges, calls, rejected, throttled,
                sent() / Math.max(0.001, elapsed.toMillis() / 1000.0), elapsed);
    }

    /** Runs every action due by {@code now}, in order. */
    private void runUntil(long now) {
        while (!agenda.isEmpty() && agenda.peek().at() <= now) {
            Action action = agenda.poll();
            current = action.at();
            action.run().run();
        }
    }

    private long sent() {
        return telephonyItems + meetingItems + statusChanges;
    }

    /**
     * What a run with these settings sends in its first {@code horizon} of virtual time to the given
     * extensions, without a server: every telephony and meeting item and every status change, in order,
     * with event times counted from the epoch. Equal settings give an equal script.
     */
    public static List<String> script(Settings settings, List<Long> extensions, Duration horizon) {
        Simulator simulator = new Simulator(null, settings);
        simulator.people = extensions.subList(0, Math.min(settings.extensions(), extensions.size()));
        simulator.office = new Office(simulator.people);
        simulator.base = Instant.EPOCH;
        simulator.scheduleAll();
        List<String> script = new ArrayList<>();
        while (!simulator.agenda.isEmpty() && simulator.agenda.peek().at() <= horizon.toMillis()) {
            Action action = simulator.agenda.poll();
            simulator.current = action.at();
            action.run().run();
            simulator.telephony.forEach(item -> script.add("telephony " + item));
            simulator.meetings.forEach(item -> script.add("meeting " + item));
            simulator.puts.forEach((id, json) -> script.add("presence " + id + " " + json));
            simulator.telephony.removeAll();
            simulator.meetings.removeAll();
            simulator.puts.clear();
        }
        return script;
    }

    private void scheduleAll() {
        scheduleArrivals(0);
        schedule(exponential(settings.callsPerSecond() / 5), this::statusChange);
        schedule(exponential(settings.callsPerSecond() / 10), this::meeting);
    }

    /** The presence the simulator expects for each extension it drove. */
    public Map<Long, Office.Expected> expected() {
        return office.expected();
    }

    /** The server's account presence records, for comparing with {@link #expected()}. */
    public List<JsonNode> serverPresence() {
        return client.accountPresence();
    }

    private void flush() {
        if (!telephony.isEmpty()) {
            rejected += client.ingest("telephony", telephony);
            telephonyItems += telephony.size();
            telephony = JSON.createArrayNode();
        }
        if (!meetings.isEmpty()) {
            rejected += client.ingest("meetings", meetings);
            meetingItems += meetings.size();
            meetings = JSON.createArrayNode();
        }
        if (System.nanoTime() < throttledUntil) {
            return;
        }
        var pending = puts.entrySet().iterator();
        while (pending.hasNext()) {
            var put = pending.next();
            Optional<Long> wait = client.putPresence(put.getKey(), put.getValue());
            if (wait.isPresent()) {
                // Rate-limited: the changes wait (merged per extension) while calls and meetings go on.
                throttled++;
                throttledUntil = System.nanoTime() + Duration.ofSeconds(Math.max(1, wait.get())).toNanos();
                return;
            }
            statusChanges++;
            pending.remove();
        }
    }

    /** Sends what is still waiting, sleeping out any rate limit, for at most {@code patience}. */
    private void drain(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        flush();
        while (!puts.isEmpty() && System.nanoTime() < deadline) {
            sleep(Math.max(1, Math.min(1000, (throttledUntil - System.nanoTime()) / 1_000_000)));
            flush();
        }
    }

    private void schedule(long at, Runnable run) {
        agenda.add(new Action(at, order++, run));
    }

    private long exponential(double perSecond) {
        return (long) (-Math.log(1 - random.nextDouble()) * 1000 / Math.max(0.001, perSecond));
    }

    private long between(long minMillis, long maxMillis) {
        return CallPlans.between(random, minMillis, maxMillis);
    }

    private long anyone() {
        return people.get(random.nextInt(people.size()));
    }

    /** Someone without a call, if one is found in a few tries. */
    private long idle() {
        for (int i = 0; i < 5; i++) {
            long candidate = anyone();
            if (office.activeParties(candidate) == 0) {
                return candidate;
            }
        }
        return anyone();
    }

    private void scheduleArrivals(long at) {
        schedule(at, () -> {
            long now = currentAt();
            startCall(now);
            scheduleArrivals(now + exponential(settings.callsPerSecond()));
        });
    }

    /** The virtual time of the action being run. */
    private long currentAt() {
        return current;
    }

    private void startCall(long at) {
        calls++;
        plans.plan(at, "sim-" + settings.seed() + "-" + calls);
    }

    private void party(long at, long extension, String session, String party, CallDirection direction,
                       PartyStatus status, String other, String otherName) {
        schedule(at, () -> {
            office.party(extension, session, party, direction, status);
            ObjectNode item = telephony.addObject();
            item.put("accountId", "~");
            item.put("telephonySessionId", session);
            item.put("eventTime", base.plusMillis(at).toString());
            ObjectNode p = item.putArray("parties").addObject();
            p.put("id", party);
            p.put("extensionId", String.valueOf(extension));
            p.put("direction", direction.name());
            ObjectNode remote = JSON.createObjectNode().put("phoneNumber", other).put("name", otherName);
            ObjectNode local = JSON.createObjectNode().put("phoneNumber", "ext:" + extension)
                    .put("extensionId", String.valueOf(extension));
            p.set("from", direction == CallDirection.Inbound ? remote : local);
            p.set("to", direction == CallDirection.Inbound ? local : remote);
            p.putObject("status").put("code", status.name());
        });
    }

    private void statusChange() {
        long who = anyone();
        double r = random.nextDouble();
        if (r < 0.3) {
            DndStatus dnd = office.dnd(who) == DndStatus.TakeAllCalls ? DndStatus.DoNotAcceptAnyCalls
                    : DndStatus.TakeAllCalls;
            office.dnd(who, dnd);
            puts.merge(who, "{\"dndStatus\":\"" + dnd + "\"}", Simulator::mergeJson);
        } else {
            UserStatus status = r < 0.8 ? UserStatus.Available : r < 0.95 ? UserStatus.Busy : UserStatus.Offline;
            office.userStatus(who, status);
            puts.merge(who, "{\"userStatus\":\"" + status + "\"}", Simulator::mergeJson);
        }
        schedule(currentAt() + exponential(settings.callsPerSecond() / 5), this::statusChange);
    }

    private static String mergeJson(String earlier, String later) {
        try {
            ObjectNode merged = (ObjectNode) JSON.readTree(earlier);
            merged.setAll((ObjectNode) JSON.readTree(later));
            return merged.toString();
        } catch (java.io.IOException e) {
            throw new PresencedException("cannot merge presence updates", e);
        }
    }

    private void meeting() {
        long who = anyone();
        if (!office.inMeeting(who)) {
            String id = "meeting-" + settings.seed() + "-" + order;
            long start = currentAt();
            meetingEvent(start, who, id, MeetingStatus.Connected);
            meetingEvent(start + between(10_000, 120_000), who, id, MeetingStatus.Disconnected);
        }
        schedule(currentAt() + exponential(settings.callsPerSecond() / 10), this::meeting);
    }

    private void meetingEvent(long at, long extension, String id, MeetingStatus status) {
        schedule(at, () -> {
            office.meeting(extension, id, status);
            ObjectNode item = meetings.addObject();
            item.put("accountId", "~");
            item.put("extensionId", String.valueOf(extension));
            item.put("meetingId", id);
            item.put("status", status.name());
            item.put("eventTime", base.plusMillis(at).toString());
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PresencedException("interrupted", e);
        }
    }
}

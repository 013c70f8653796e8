package io.presenced.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ringcentral.RestClient;
import com.ringcentral.RestException;
import com.ringcentral.definitions.AccountPresenceInfo;
import com.ringcentral.definitions.GetAccountInfoResponse;
import com.ringcentral.definitions.GetExtensionListResponse;
import com.ringcentral.definitions.GetPresenceInfo;
import com.ringcentral.definitions.ListExtensionsParameters;
import com.ringcentral.definitions.PresenceInfoRequest;
import com.ringcentral.definitions.PresenceInfoResponse;
import com.ringcentral.definitions.ReadAccountPresenceParameters;
import com.ringcentral.definitions.TokenInfo;
import io.presenced.admin.DemoAccount;
import io.presenced.testing.TestServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official RingCentral Java SDK as the client, with only the server URL changed. */
class JavaSdkTest {
    private static TestServer server;
    private static DemoAccount.Credentials demo;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        demo = server.credentials();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RestClient login(String jwt) throws Exception {
        RestClient rc = new RestClient(demo.clientId(), demo.clientSecret(), server.url());
        rc.authorize(jwt);
        return rc;
    }

    @Test
    void logsInWithJwtAndReadsOwnPresence() throws Exception {
        RestClient rc = login(demo.users().getFirst().jwt());
        assertThat(rc.token.owner_id).isEqualTo(demo.users().getFirst().extensionId());
        assertThat(rc.token.token_type).isEqualTo("bearer");
        assertThat(rc.token.expires_in).isEqualTo(3600L);
        GetPresenceInfo presence = rc.restapi().account().extension().presence().get();
        assertThat(presence.extension.id).isEqualTo(Long.valueOf(demo.users().getFirst().extensionId()));
        assertThat(presence.extension.extensionNumber).isEqualTo(demo.users().getFirst().extensionNumber());
        assertThat(presence.presenceStatus).isEqualTo("Available");
        assertThat(presence.telephonyStatus).isEqualTo("NoCall");
        assertThat(presence.meetingStatus).isEqualTo("Disconnected");
        assertThat(presence.allowSeeMyPresence).isTrue();
    }

    @Test
    void updatesPresenceAndReadsItBack() throws Exception {
        DemoAccount.User user = demo.users().get(4);
        RestClient rc = login(user.jwt());
        PresenceInfoResponse put = rc.restapi().account().extension().presence()
                .put(new PresenceInfoRequest().userStatus("Busy").message("In the lab"));
        assertThat(put.userStatus).isEqualTo("Busy");
        assertThat(put.presenceStatus).isEqualTo("Busy");
        assertThat(put.message).isEqualTo("In the lab");

        RestClient admin = login(demo.admin().jwt());
        GetPresenceInfo seen = admin.restapi().account().extension(user.extensionId()).presence().get();
        assertThat(seen.userStatus).isEqualTo("Busy");
        assertThat(seen.presenceStatus).isEqualTo("Busy");

        rc.restapi().account().extension().presence().put(new PresenceInfoRequest().dndStatus("DoNotAcceptAnyCalls")
                .userStatus("Available"));
        assertThat(admin.restapi().account().extension(user.extensionId()).presence().get().presenceStatus)
                .isEqualTo("Busy");
        rc.restapi().account().extension().presence().put(new PresenceInfoRequest().dndStatus("TakeAllCalls"));
        assertThat(admin.restapi().account().extension(user.extensionId()).presence().get().presenceStatus)
                .isEqualTo("Available");
    }

    @Test
    void listsAccountPresenceWithPaging() throws Exception {
        RestClient rc = login(demo.admin().jwt());
        AccountPresenceInfo first = rc.restapi().account().presence()
                .get(new ReadAccountPresenceParameters().page(1L).perPage(5L));
        assertThat(first.paging.page).isEqualTo(1L);
        assertThat(first.paging.perPage).isEqualTo(5L);
        assertThat(first.paging.totalElements).isEqualTo(13L);
        assertThat(first.paging.totalPages).isEqualTo(3L);
        assertThat(first.records).hasSize(5);
        assertThat(first.navigation.nextPage.uri).contains("page=2");

        Set<Long> ids = new HashSet<>();
        for (long page = 1; page <= first.paging.totalPages; page++) {
            AccountPresenceInfo info = rc.restapi().account().presence()
                    .get(new ReadAccountPresenceParameters().page(page).perPage(5L));
            for (GetPresenceInfo record : info.records) {
                ids.add(record.extension.id);
            }
        }
        assertThat(ids).hasSize(13);
        AccountPresenceInfo last = rc.restapi().account().presence()
                .get(new ReadAccountPresenceParameters().page(3L).perPage(5L));
        assertThat(last.records).hasSize(3);
        assertThat(last.navigation.nextPage).isNull();
        // The department and the park location are Offline and carry no user or telephony status.
        assertThat(last.records).anySatisfy(r -> {
            assertThat(r.presenceStatus).isEqualTo("Offline");
            assertThat(r.telephonyStatus).isNull();
            assertThat(r.userStatus).isNull();
        });
    }

    @Test
    void readsTheDirectory() throws Exception {
        RestClient rc = login(demo.users().get(1).jwt());
        GetAccountInfoResponse account = rc.restapi().account().get();
        assertThat(account.id).isEqualTo(Long.valueOf(demo.accountId()));
        assertThat(account.mainNumber).isEqualTo("+15550100000");
        GetExtensionListResponse users = rc.restapi().account().extension()
                .list(new ListExtensionsParameters().type(new String[] {"User"}).perPage(100L));
        assertThat(users.records).hasSize(11);
        assertThat(users.paging.totalElements).isEqualTo(11L);
        GetExtensionListResponse departments = rc.restapi().account().extension()
                .list(new ListExtensionsParameters().type(new String[] {"Department"}));
        assertThat(departments.records).singleElement().satisfies(d -> assertThat(d.name).isEqualTo("Support"));
    }

    @Test
    void refreshesAndRevokesItsToken() throws Exception {
        RestClient rc = login(demo.users().get(2).jwt());
        TokenInfo before = rc.token;
        TokenInfo after = rc.refresh();
        assertThat(after.access_token).isNotEqualTo(before.access_token);
        assertThat(after.refresh_token).isNotEqualTo(before.refresh_token);
        assertThat(rc.restapi().account().extension().presence().get().presenceStatus).isNotNull();

        // The rotated-out refresh token no longer works.
        RestClient stale = new RestClient(demo.clientId(), demo.clientSecret(), server.url());
        stale.token = before;
        assertThatThrownBy(stale::refresh).isInstanceOf(RestException.class)
                .satisfies(e -> assertThat(((RestException) e).response.code()).isEqualTo(400))
                .hasMessageContaining("OAU-211");

        RestClient copy = new RestClient(demo.clientId(), demo.clientSecret(), server.url());
        copy.token = rc.token;
        rc.revoke();
        assertThatThrownBy(() -> copy.restapi().account().extension().presence().get())
                .isInstanceOf(RestException.class)
                .satisfies(e -> assertThat(((RestException) e).response.code()).isEqualTo(401))
                .hasMessageContaining("OAU-213");
    }
}

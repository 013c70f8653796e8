package io.presenced.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.presenced.PresencedException;
import io.presenced.directory.Extension;
import io.presenced.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Issues and recognises the JWT credentials users exchange for tokens (the jwt-bearer grant).
 * A credential is recognised by the SHA-256 of its whole text, which is all the store keeps; it is
 * signed with a one-off random key, so it is a well-formed JWT whose claims name its extension, but
 * no signing key exists that could forge another.
 */
public final class JwtCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Clock clock;

    public JwtCredentials(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A credential just issued: its id and the JWT text, shown once. */
    public record Issued(String id, String jwt) {
    }

    /** Issues a new credential for a user extension and stores its hash. */
    public Issued issue(Extension extension, String issuer) {
        String id = Secrets.random(12);
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(String.valueOf(extension.id()))
                .claim("account", String.valueOf(extension.accountId()))
                .jwtID(id)
                .issueTime(Date.from(now))
                .build();
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(key));
            String text = jwt.serialize();
            store.createJwtCredential(new JwtCredential(id, extension.id(), Secrets.sha256(text), now, false));
            return new Issued(id, text);
        } catch (JOSEException e) {
            throw new PresencedException("cannot sign a JWT credential", e);
        }
    }

    /** The extension id of a valid, unrevoked credential with exactly this text. */
    public Optional<Long> verify(String jwt) {
        return store.jwtCredentialByHash(Secrets.sha256(jwt))
                .filter(c -> !c.revoked())
                .map(JwtCredential::extensionId);
    }

    /** Revokes a credential by id; false if there is none. */
    public boolean revoke(String id) {
        return store.revokeJwtCredential(id);
    }
}

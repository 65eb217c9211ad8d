/*
 * Copyright 2026 the hotreload authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.hotreload.resource.redis;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

import dev.hotreload.resource.CredentialsRejectedEvent;
import dev.hotreload.support.SecretSanitizer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which connect failures are the server refusing the credentials, and the event they
 * publish.
 *
 * @author hotreload authors
 */
class CredentialRejectionsTests {

	@Test
	void findsTheServersRefusalAmongTheCauses() {
		Throwable wrongPass = new RedisConnectionFailureException("Unable to connect to Redis",
				new RedisConnectionException("Unable to connect to 127.0.0.1:6380", new RedisCommandExecutionException(
						"WRONGPASS invalid username-password pair or user is disabled.")));
		assertThat(CredentialRejections.refusal(wrongPass))
			.isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
		assertThat(CredentialRejections.refusal(new RedisCommandExecutionException("NOAUTH Authentication required.")))
			.isEqualTo("NOAUTH Authentication required.");
	}

	@Test
	void otherFailuresAreNoRefusal() {
		assertThat(CredentialRejections.refusal(new RedisConnectionException("Unable to connect to 127.0.0.1:6380",
				new ConnectException("Connection refused"))))
			.isNull();
		assertThat(CredentialRejections.refusal(new RedisCommandExecutionException("ERR unknown command 'FOO'")))
			.isNull();
		// a message that only mentions it is not the server's refusal
		assertThat(CredentialRejections.refusal(new IllegalStateException("WRONGPASS"))).isNull();
		assertThat(CredentialRejections.refusal(null)).isNull();
	}

	@Test
	void publishesTheMaskedReasonForARefusalOnly() {
		List<Object> events = new ArrayList<>();
		Object source = new Object();
		CredentialRejections rejections = new CredentialRejections("cache", source, events::add,
				() -> SecretSanitizer.ofValues(List.of("s3cr3t-pass")));
		assertThat(rejections.check(new RedisConnectionException("Unable to connect to 127.0.0.1:6380",
				new ConnectException("Connection refused"))))
			.isFalse();
		assertThat(events).isEmpty();

		assertThat(rejections.check(new RedisCommandExecutionException("WRONGPASS for s3cr3t-pass"))).isTrue();
		assertThat(events).singleElement().isInstanceOfSatisfying(CredentialsRejectedEvent.class, (event) -> {
			assertThat(event.getSource()).isSameAs(source);
			assertThat(event.getResource()).isEqualTo("cache");
			assertThat(event.getReason()).startsWith("WRONGPASS").doesNotContain("s3cr3t-pass");
		});
	}

	@Test
	void publishesNothingWithoutAPublisher() {
		CredentialRejections rejections = new CredentialRejections("cache", new Object(), null,
				() -> SecretSanitizer.URLS_ONLY);
		assertThat(rejections.check(new RedisCommandExecutionException("NOAUTH Authentication required."))).isFalse();
	}

}

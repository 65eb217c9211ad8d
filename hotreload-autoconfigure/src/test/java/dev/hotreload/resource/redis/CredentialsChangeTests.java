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

import java.util.Map;
import java.util.Set;

import dev.hotreload.resource.EffectiveSettings;
import io.lettuce.core.RedisCredentials;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which changes are credential changes applied in place, and what committing and rolling
 * one back serve.
 *
 * @author hotreload authors
 */
class CredentialsChangeTests {

	@Test
	void userNameAndPasswordAreCredentials() {
		assertThat(changes(Map.of("spring.data.redis.password", "a"), Map.of("spring.data.redis.password", "b")))
			.containsExactly("spring.data.redis.password");
		assertThat(
				CredentialsChange.onlyCredentials(Set.of("spring.data.redis.password", "spring.data.redis.username")))
			.isTrue();
		assertThat(CredentialsChange.onlyCredentials(Set.of("details.password"))).isTrue();
	}

	@Test
	void urlThatDiffersOnlyInItsUserInfoIsACredentialChange() {
		Set<String> changed = changes(Map.of("spring.data.redis.url", "redis://app:old@cache:6379/1"),
				Map.of("spring.data.redis.url", "redis://app:new@cache:6379/1"));
		assertThat(changed).containsExactly(CredentialsChange.URL_USER_INFO);
		assertThat(CredentialsChange.onlyCredentials(changed)).isTrue();
	}

	@Test
	void urlThatMovesIsNotACredentialChange() {
		Set<String> changed = changes(Map.of("spring.data.redis.url", "redis://app:old@cache:6379/1"),
				Map.of("spring.data.redis.url", "redis://app:new@cache:6380/1"));
		assertThat(changed).containsExactlyInAnyOrder("spring.data.redis.url", CredentialsChange.URL_USER_INFO);
		assertThat(CredentialsChange.onlyCredentials(changed)).isFalse();
		assertThat(CredentialsChange.onlyCredentials(Set.of("spring.data.redis.password", "spring.data.redis.port")))
			.isFalse();
		assertThat(CredentialsChange.onlyCredentials(Set.of())).isFalse();
	}

	@Test
	void commitServesTheNewCredentialsAndRollbackThePrevious() {
		LiveRedisCredentials live = new LiveRedisCredentials(RedisCredentials.just("app", "old"));
		CredentialsChange change = new CredentialsChange("redis-g1", 1, Set.of("spring.data.redis.password"), live,
				RedisCredentials.just("app", "new"), () -> true);
		assertThat(change.description())
			.isEqualTo("in place on redis-g1 (password changed; open connections re-authenticate)");
		assertThat(change.generation()).isEqualTo(1);
		change.commit();
		assertThat(new String(live.resolveCredentialsNow().getPassword())).isEqualTo("new");
		change.rollback();
		assertThat(new String(live.resolveCredentialsNow().getPassword())).isEqualTo("old");
		assertThat(live.toString()).doesNotContain("old").doesNotContain("new");
	}

	@Test
	void commitFailsWhenTheClientWasReplacedMeanwhile() {
		LiveRedisCredentials live = new LiveRedisCredentials(RedisCredentials.just("app", "old"));
		CredentialsChange change = new CredentialsChange("redis-g1", 1, Set.of("spring.data.redis.password"), live,
				RedisCredentials.just("app", "new"), () -> false);
		assertThatIllegalStateException().isThrownBy(change::commit).withMessageContaining("reload again");
		assertThat(new String(live.resolveCredentialsNow().getPassword())).isEqualTo("old");
	}

	private static Set<String> changes(Map<String, String> before, Map<String, String> after) {
		return settings(before).differences(settings(after));
	}

	private static EffectiveSettings settings(Map<String, String> keys) {
		Binder binder = new Binder(new MapConfigurationPropertySource(keys));
		return CredentialsChange.splitUrl(EffectiveSettings.of(binder, "spring.data.redis"), binder);
	}

}

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

package dev.hotreload.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;

/**
 * The running build, as the endpoint shows it.
 *
 * @param group the build's group, from build-info
 * @param artifact the build's artifact
 * @param version the build's version
 * @param time when it was built
 * @param git commit and branch, from git.properties
 * @param springBoot Spring Boot's version
 * @param java the Java runtime's version
 * @param hotreload hotreload's version
 * @author hotreload authors
 */
public record BuildDescriptor(@Nullable String group, @Nullable String artifact, @Nullable String version,
		@Nullable Instant time, @Nullable Git git, String springBoot, String java, String hotreload) {

	private static final String VERSION_RESOURCE = "META-INF/hotreload/hotreload.properties";

	/**
	 * Describe the running build.
	 * @param build build-info, if present
	 * @param git git info, if present
	 * @return the descriptor
	 */
	public static BuildDescriptor of(@Nullable BuildProperties build, @Nullable GitProperties git) {
		return new BuildDescriptor((build != null) ? build.getGroup() : null,
				(build != null) ? build.getArtifact() : null, (build != null) ? build.getVersion() : null,
				(build != null) ? build.getTime() : null,
				(git != null) ? new Git(git.getShortCommitId(), git.getBranch(), git.getCommitTime()) : null,
				SpringBootVersion.getVersion(), System.getProperty("java.version"), hotreloadVersion());
	}

	/**
	 * Return hotreload's own version.
	 * @return the version, or "unknown"
	 */
	public static String hotreloadVersion() {
		try (InputStream stream = BuildDescriptor.class.getClassLoader().getResourceAsStream(VERSION_RESOURCE)) {
			if (stream != null) {
				Properties properties = new Properties();
				properties.load(stream);
				return properties.getProperty("version", "unknown");
			}
		}
		catch (IOException ex) {
			// fall through
		}
		return "unknown";
	}

	/**
	 * Git information of the build.
	 *
	 * @param commit the abbreviated commit id
	 * @param branch the branch
	 * @param time the commit time
	 */
	public record Git(@Nullable String commit, @Nullable String branch, @Nullable Instant time) {

	}

}

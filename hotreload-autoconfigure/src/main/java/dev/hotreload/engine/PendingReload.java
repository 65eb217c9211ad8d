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

package dev.hotreload.engine;

import java.util.concurrent.CompletableFuture;

import dev.hotreload.history.HistoryEntry;

/**
 * A submitted reload: the id its history entry will carry, known before it runs, and the
 * future that completes with that entry. Requests coalesced into one reload share it.
 *
 * @param id the id of the reload's history entry
 * @param result completes with the history entry
 * @author hotreload authors
 */
public record PendingReload(long id, CompletableFuture<HistoryEntry> result) {

}

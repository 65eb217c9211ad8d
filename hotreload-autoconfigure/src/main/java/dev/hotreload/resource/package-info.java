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

/**
 * Reloadable resources: the SPI for things rebuilt when their keys change
 * ({@link dev.hotreload.resource.ReloadableResource}), and the core every resource type
 * builds on: the live generation and its in-flight count
 * ({@link dev.hotreload.resource.Generations}), validation within a timeout
 * ({@link dev.hotreload.resource.Candidates}), the two shapes of a change
 * ({@link dev.hotreload.resource.NewGenerationChange},
 * {@link dev.hotreload.resource.InPlaceChange}), background retirement with a leak check,
 * error messages ({@link dev.hotreload.resource.ErrorMessages}) and the registration of a
 * type's beans ({@link dev.hotreload.resource.ResourceBeanPostProcessor}).
 */
@NullMarked
package dev.hotreload.resource;

import org.jspecify.annotations.NullMarked;

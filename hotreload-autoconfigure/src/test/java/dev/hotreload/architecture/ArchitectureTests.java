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

package dev.hotreload.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house rules of the package map, checked on the main classes: no package cycle,
 * sibling sources and sibling resources never know each other, the engine knows no source
 * or resource implementation, and post-processor beans are declared static.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.hotreload";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void siblingSourcesAndResourcesDoNotDependOnEachOther() {
		List<ArchRule> rules = new ArrayList<>();
		for (String parent : List.of("source", "resource")) {
			Set<String> siblings = subpackages(ROOT + "." + parent);
			assertThat(siblings).as("implementations under %s", parent).hasSizeGreaterThanOrEqualTo(2);
			for (String sibling : siblings) {
				for (String other : siblings) {
					if (!sibling.equals(other)) {
						rules.add(noClasses().that()
							.resideInAPackage(sibling + "..")
							.should()
							.dependOnClassesThat()
							.resideInAPackage(other + ".."));
					}
				}
			}
		}
		rules.forEach((rule) -> rule.check(classes));
	}

	@Test
	void engineKnowsNoSourceOrResourceImplementation() {
		noClasses().that()
			.resideInAPackage(ROOT + ".engine..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".source.*..", ROOT + ".resource.*..")
			.check(classes);
	}

	@Test
	void postProcessorBeanMethodsAreStatic() {
		methods().that()
			.areAnnotatedWith(Bean.class)
			.and()
			.haveRawReturnType(describe("a post-processor",
					(JavaClass type) -> type.isAssignableTo(BeanPostProcessor.class)
							|| type.isAssignableTo(BeanFactoryPostProcessor.class)))
			.should()
			.beStatic()
			.check(classes);
	}

	private static Set<String> subpackages(String parent) {
		Set<String> packages = new TreeSet<>();
		for (JavaClass type : classes) {
			String name = type.getPackageName();
			if (name.startsWith(parent + ".")) {
				String rest = name.substring(parent.length() + 1);
				int dot = rest.indexOf('.');
				packages.add(parent + "." + ((dot >= 0) ? rest.substring(0, dot) : rest));
			}
		}
		return packages;
	}

}

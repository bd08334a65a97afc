/**
 * The attack suite: each test performs one attack on idstream, as someone hostile who knows the code would (a writer
 * to any partition of any topic, a registered consumer, another holder, a process on the same host), and asserts
 * that it fails and how the platform says so. One class per attack, named for the attack; {@code *AttackTest} runs
 * on the real topology under {@code TopologyTestDriver}, {@code *AttackIT} on the embedded platform where the
 * attack needs partitions, ACLs or HTTP. SECURITY.md lists every attack with its test.
 */
package io.idstream.it.attacks;

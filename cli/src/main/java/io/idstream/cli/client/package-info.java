/**
 * The participants' commands (identity, operator, issuer, holder, consumer): each one SDK call made with the keys in
 * the keys directory, its result printed by the one {@code Renderer}.
 */
package io.idstream.cli.client;

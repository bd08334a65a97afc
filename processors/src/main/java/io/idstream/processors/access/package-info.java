/**
 * One stream task per holder partition: the storage processor admits issuers' credentials to the vault, the access
 * processor joins consumers' requests with the holder's grants and answers them.
 */
package io.idstream.processors.access;

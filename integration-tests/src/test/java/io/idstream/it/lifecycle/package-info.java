/**
 * The holder's lifecycle on the embedded platform, one class per capability: consent before issuance, key rotation,
 * sealed key backups and recovery, the path for keys lost without a backup, and the export of everything the platform
 * holds on a holder. Each class runs one platform (broker, registry, processors, holder gateway) for all its tests.
 */
package io.idstream.it.lifecycle;

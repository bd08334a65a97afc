/**
 * The directory: principals' self-signed registrations and operators' accreditations, verified before they count,
 * and the read-only view of the verified directory that the other processors consult.
 */
package io.idstream.processors.directory;

/** The gateway's topology and its per-holder stores, each keyed {@code <holderId>/<item>} for prefix scans. */
package io.idstream.gateway.views;

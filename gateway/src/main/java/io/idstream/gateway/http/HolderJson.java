package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.gateway.views.HolderViews;
import io.idstream.mapping.AvroJson;
import org.apache.avro.specific.SpecificRecord;

import java.util.List;

/** The JSON bodies of the holder routes that wrap records: lists, grants with their uses, audit entries and pages. */
final class HolderJson {
    private HolderJson() {
    }

    static ObjectNode list(String member, List<? extends SpecificRecord> records) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        ArrayNode array = body.putArray(member);
        records.forEach(record -> array.add(AvroJson.toJson(record)));
        return body;
    }

    static ObjectNode activeGrant(HolderViews.ActiveGrant grant) {
        ObjectNode node = JsonResponses.MAPPER.createObjectNode();
        node.set("grant", AvroJson.toJson(grant.grant()));
        node.put("uses", grant.uses());
        return node;
    }

    static ObjectNode grants(List<HolderViews.ActiveGrant> grants) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("grants");
        grants.forEach(grant -> array.add(activeGrant(grant)));
        return body;
    }

    static ObjectNode auditEntry(HolderViews.AuditEntry entry) {
        ObjectNode node = JsonResponses.MAPPER.createObjectNode();
        node.put("cursor", entry.cursor());
        node.set("entry", AvroJson.toJson(entry.entry()));
        return node;
    }

    static ObjectNode auditPage(HolderViews.AuditPage page) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("entries");
        page.entries().forEach(entry -> array.add(auditEntry(entry)));
        body.put("next", page.next());
        return body;
    }
}

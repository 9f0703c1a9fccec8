package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.api.TopicPayloads.CreateTopic;
import io.optledger.api.TopicPayloads.TopicList;
import io.optledger.api.TopicPayloads.UpdateTopic;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.RequestContext;
import io.optledger.consent.Status;
import io.optledger.consent.TopicSubscriptions;
import io.optledger.platform.Conflict;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.optledger.topic.Topics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Topics")
class TopicsController {

    private final Topics topics;
    private final ConsentReads consent;

    TopicsController(Topics topics, ConsentReads consent) {
        this.topics = topics;
        this.consent = consent;
    }

    @GetMapping("/v1/topics")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "List the workspace's topics")
    TopicList list(Caller caller) {
        return new TopicList(topics.list(caller.workspaceId()));
    }

    @GetMapping("/v1/topics/{key}")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    Topic get(Caller caller, @PathVariable String key) {
        return topics.get(caller.workspaceId(), key);
    }

    @PostMapping("/v1/topics")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Create a topic; defaultOptIn and mandatory default to false")
    Topic create(Caller caller, HttpServletRequest http, @Valid @RequestBody CreateTopic request) {
        return topics.create(
                caller.workspaceId(),
                new Topics.TopicDraft(
                        request.key(),
                        request.name(),
                        request.description(),
                        request.kind(),
                        Boolean.TRUE.equals(request.defaultOptIn()),
                        Boolean.TRUE.equals(request.mandatory()),
                        request.doubleOptIn() == null ? Set.of() : request.doubleOptIn()),
                RequestContext.of(http, caller.keyId()).actor(SuppressionsController.SOURCE, null));
    }

    @PatchMapping("/v1/topics/{key}")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Change a topic's name, description (an empty one removes it), default, mandatory flag or double"
                    + " opt-in channels",
            description = "Only a TRANSACTIONAL topic can be mandatory (400 otherwise); making a topic mandatory that"
                    + " holds explicit opt-outs is refused with 409: it would silently override them.")
    Topic update(
            Caller caller, HttpServletRequest http, @PathVariable String key, @Valid @RequestBody UpdateTopic request) {
        Topic current = topics.get(caller.workspaceId(), key);
        // a MARKETING topic is refused as invalid (400, by Topics) before its opt-outs are counted
        if (Boolean.TRUE.equals(request.mandatory())
                && !current.mandatory()
                && current.kind() == TopicKind.TRANSACTIONAL) {
            long optOuts = consent.countOfTopic(
                    new TopicSubscriptions(caller.workspaceId(), key, null, Status.UNSUBSCRIBED, null, null));
            if (optOuts > 0) {
                throw new Conflict("topic '" + key + "' has " + optOuts
                        + " explicit opt-outs; making it mandatory would override them");
            }
        }
        return topics.update(
                caller.workspaceId(),
                key,
                request.name(),
                request.description(),
                request.defaultOptIn(),
                request.mandatory(),
                request.doubleOptIn(),
                RequestContext.of(http, caller.keyId()).actor(SuppressionsController.SOURCE, null));
    }
}

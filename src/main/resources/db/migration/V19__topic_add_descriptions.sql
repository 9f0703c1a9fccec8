-- What the preference page shows under a topic's name: what the person gets by staying subscribed.
alter table topics add column description text check (description is null or length(description) between 1 and 1000);

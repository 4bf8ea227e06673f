//! Sharing one socket among the tabs of a user, in both engines: contexts of one page with the
//! same `url` and `userKey` meet over the same Web Lock and BroadcastChannel as tabs do, so
//! three of them are one leader and two followers over one socket (counted by the server).

use wasm_bindgen_test::*;

use crate::support::*;

fn tab(room: &str, user: &str) -> Ctx {
    context(&format!(r#"{{"url":"{{url}}/ws?room={room}-{{run}}","heartbeat":false,"userKey":"{user}","reconnect":{{"initialDelayMs":20}}}}"#))
}

fn role(ctx: &Ctx) -> String {
    text(&ctx.stats().js(), "role")
}

#[wasm_bindgen_test]
async fn three_contexts_of_a_user_share_one_socket_and_each_gets_every_message() {
    let tabs: Vec<Ctx> = (0..3).map(|_| tab("share", "ada")).collect();
    let got: Vec<Calls> = tabs.iter().map(|_| Calls::default()).collect();
    for (ctx, calls) in tabs.iter().zip(&got) {
        ctx.on("m".into(), calls.listener()).js();
        ctx.connect().js();
    }
    until("all open", WAIT, || tabs.iter().all(|t| status(t) == "open")).await;
    until("three tabs counted", WAIT, || tabs.iter().all(|t| stat(t, "tabs") == 3.0)).await;
    let mut roles: Vec<String> = tabs.iter().map(role).collect();
    roles.sort();
    assert_eq!(roles, ["follower", "follower", "leader"]);
    assert_eq!(count(&tabs[0]).await, (1.0, 1.0), "one socket, never a second");
    // A follower's send goes through the leader: the server echoes to the one socket, and
    // every tab gets the echo.
    let follower = tabs.iter().find(|t| role(t) == "follower").unwrap();
    emit(follower, r#"[{"type":"m","n":1},{"type":"m","n":2}]"#);
    until("every tab got both", WAIT, || got.iter().all(|c| c.len() == 2)).await;
    sleep(100).await;
    for calls in &got {
        assert_eq!(calls.numbers("n"), [1.0, 2.0]);
    }
}

#[wasm_bindgen_test]
async fn when_the_leader_leaves_a_follower_takes_the_socket_over() {
    let mut tabs: Vec<Ctx> = (0..2).map(|_| tab("handover", "bo")).collect();
    for t in &tabs {
        t.connect().js();
    }
    until("both open", WAIT, || tabs.iter().all(|t| status(t) == "open")).await;
    let leader = tabs.iter().position(|t| role(t) == "leader").expect("a leader");
    let left = tabs.remove(leader);
    drop(left); // free(): its lock goes to the other
    let heir = &tabs[0];
    until("the follower leads", WAIT, || role(heir) == "leader").await;
    until("open on its own socket", WAIT, || status(heir) == "open").await;
    until_open_sockets(heir, 1.0, "one socket after the hand-over").await;
    assert_eq!(stat(heir, "tabs"), 1.0);
}

#[wasm_bindgen_test]
async fn other_users_and_contexts_without_user_key_keep_their_own_socket() {
    let ada = tab("apart", "ada-2");
    let bob = tab("apart", "bob-2");
    let anonymous = context(r#"{"url":"{url}/ws?room=apart-{run}","heartbeat":false}"#);
    let unshared = context(r#"{"url":"{url}/ws?room=apart-{run}","heartbeat":false,"userKey":"ada-2","shareAcrossTabs":false}"#);
    for ctx in [&ada, &bob, &anonymous, &unshared] {
        ctx.connect().js();
    }
    until("all open", WAIT, || [&ada, &bob, &anonymous, &unshared].iter().all(|t| status(t) == "open")).await;
    until_open_sockets(&ada, 4.0, "a socket each").await;
    assert_eq!([role(&ada), role(&bob), role(&anonymous), role(&unshared)], ["leader", "leader", "solo", "solo"]);
}

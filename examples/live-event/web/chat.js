// Chatting beside the video, with the Amazon IVS Chat Client Messaging
// SDK: a ChatRoom whose tokenProvider calls the chat token endpoint with
// the ID token. Messages the room's moderation denies are shown as
// denied; Delete and Disconnect appear only when the token carries those
// capabilities (the moderators group).
const $ = (id) => document.getElementById(id);
const { fetchToken } = window.IvscdkSignIn;

export function Chat(config) {
  const { ChatRoom, SendMessageRequest, DeleteMessageRequest, DisconnectUserRequest } = window.IVSChatMessaging;
  const say = (text) => { $("chat-status").textContent = text; };
  let capabilities = []; // what the token allows besides sending
  let room = null;
  let tokenError = null; // why the last token could not be had
  let leaving = false;

  async function chatToken() {
    try {
      const answer = await fetchToken({ tokenUrl: config.chatTokenUrl }, "You are signed in, but not allowed in the chat.");
      capabilities = answer.capabilities || [];
      tokenError = null;
      return { token: answer.token, tokenExpirationTime: new Date(answer.tokenExpiresAt), sessionExpirationTime: new Date(answer.sessionExpiresAt) };
    } catch (e) {
      tokenError = e;
      throw e;
    }
  }

  function control(className, text, label, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => action().catch((e) => say(text + " failed: " + (e.errorMessage || e.message))));
    return b;
  }

  function addMessage(message) {
    const item = document.createElement("li");
    item.id = "m-" + message.id;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = message.sender.userId;
    const text = document.createElement("span");
    text.textContent = message.content;
    item.append(who, text);
    if (capabilities.includes("DELETE_MESSAGE")) {
      item.append(control("delete", "Delete", "Delete this message",
        () => room.deleteMessage(new DeleteMessageRequest(message.id, "deleted by a moderator"))));
    }
    if (capabilities.includes("DISCONNECT_USER")) {
      item.append(control("disconnect", "Disconnect", "Disconnect " + message.sender.userId,
        () => room.disconnectUser(new DisconnectUserRequest(message.sender.userId, "disconnected by a moderator"))));
    }
    $("log").append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function connect() {
    if (!window.IVSChatMessaging) return say("The chat SDK did not load. Reload the page.");
    leaving = false;
    document.querySelector(".chat").hidden = false;
    say("Joining the chat…");
    room = new ChatRoom({ regionOrUrl: config.chatUrl || config.region, tokenProvider: chatToken });
    room.addListener("connect", () => {
      say(capabilities.includes("DELETE_MESSAGE") ? "In the chat, as a moderator." : "In the chat.");
      $("send").hidden = false;
    });
    room.addListener("disconnect", (reason) => {
      $("send").hidden = true;
      if (leaving || reason === "clientDisconnect") return say("You left the chat.");
      say(tokenError ? tokenError.message : "You are disconnected from the chat. Reload the page to join again.");
    });
    room.addListener("message", addMessage);
    room.addListener("messageDelete", (event) => {
      const item = document.getElementById("m-" + event.messageId);
      if (item) item.remove();
    });
    room.addListener("userDisconnect", (event) => say(event.userId + " was disconnected by a moderator."));
    room.connect();
  }

  async function send(event) {
    event.preventDefault();
    const content = $("message").value.trim();
    if (!content) return;
    $("message").value = "";
    try {
      await room.sendMessage(new SendMessageRequest(content));
    } catch (e) {
      if (e && e.errorCode === 406) {
        const item = document.createElement("li");
        item.className = "denied";
        item.textContent = "Not delivered (the chat's moderation denied it): " + content;
        $("log").append(item);
      } else {
        say("Sending failed" + (e && e.errorMessage ? ": " + e.errorMessage : "") + ".");
      }
    }
  }
  $("send").addEventListener("submit", send);

  return {
    connect,
    leave() {
      leaving = true;
      if (room) room.disconnect();
    },
  };
}

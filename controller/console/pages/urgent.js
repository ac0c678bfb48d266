// The urgent desk: choose hamlets (or the whole commune), type the announcement or pick a file,
// confirm what will be sent, watch each hamlet turn green, stop everything at once.
// A drill is said so everywhere on the page.
import { html, useEffect, useRef, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { controllerNow } from '../lib/clock.js';
import { keep, recall } from '../lib/desk-memory.js';
import { onLive } from '../lib/live.js';
import { lang, t, when } from '../lib/i18n.js';
import { hamletCounts, hamletState } from '../lib/hamlet-state.js';
import { reachOf } from '../lib/receiver-health.js';
import { Field, Loading, priorityLabel, useLoad } from '../lib/ui.js';
import { StopPanel } from './stop-panel.js';
import { Countdown, Similar, Waiting, Where } from './urgent-waiting.js';

function Progress({ broadcastId, hamlets }) {
  const [coverage, setCoverage] = useState(null);
  const [lost, setLost] = useState(false);
  const here = useRef(null);
  // On a phone the results would land below the fold: they come into view as soon as they start.
  useEffect(() => {
    here.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [broadcastId, Boolean(coverage)]);
  useEffect(() => {
    const es = new EventSource(`/api/broadcasts/${broadcastId}/events`);
    es.addEventListener('coverage', (e) => {
      setLost(false);
      setCoverage(JSON.parse(e.data));
    });
    es.addEventListener('complete', () => es.close());
    es.onerror = () => es.readyState !== EventSource.CLOSED && setLost(true);
    return () => es.close();
  }, [broadcastId]);
  if (!coverage) return html`<p aria-live="polite" ref=${here}>${t('ui_sending')}</p>`;
  return html`<section aria-labelledby="pg-h" aria-live="polite" ref=${here}>
    <h2 id="pg-h">${t('ui_progress')}</h2>
    ${lost && html`<p class="error" role="alert">${t('ui_connection_lost')}</p>`}
    <ul class="hamlet-grid">${coverage.hamlets.map((h) => {
      const s = h.totals;
      const n = hamletCounts(h);
      const state = hamletState(h);
      return html`<li class=${`hamlet-tile h-${state}`} data-hamlet=${h.hamlet_id} data-state=${state}>
        <strong>${hamlets.find((x) => x.id === h.hamlet_id)?.name ?? h.name}</strong>
        <span>${t(`ui_hamlet_state_${state}`)}</span>
        <small>${t('ui_receivers_outcome', { finished: s.finished, targeted: s.targeted, failed: n.failed, silent: s.no_answer })}</small>
        ${n.stopped > 0 && html`<small>${t('ui_receivers_stopped', { stopped: n.stopped })}</small>`}
        ${s.sent > 0 && html`<small>${t('ui_receivers_sent', { sent: s.sent })}</small>`}
        ${s.unfinished > 0 && html`<small>${t('ui_receivers_unfinished', { unfinished: s.unfinished })}</small>`}
        ${s.offline > 0 && html`<small>${t('ui_receivers_offline', { offline: s.offline })}</small>`}
        ${s.stop_unconfirmed > 0 && html`<small>${t('ui_receivers_stop_unconfirmed', { count: s.stop_unconfirmed })}</small>`}</li>`;
    })}
    ${(coverage.without_receivers ?? []).map(
      (h) => html`<li class="hamlet-tile h-failed" data-hamlet=${h.hamlet_id} data-state="no_receiver">
        <strong>${h.name}</strong><span>${t('ui_hamlet_state_no_receiver')}</span></li>`,
    )}</ul>
    ${
      coverage.complete &&
      html`<p role="status">${
        coverage.totals.finished === coverage.totals.targeted
          ? t('ui_broadcast_complete', { hamlets: coverage.hamlets_reached, households: coverage.households_reached })
          : t(coverage.totals.stopped > 0 ? 'ui_broadcast_ended_stopped' : 'ui_broadcast_ended', {
              reached: coverage.hamlets_reached,
              hamlets: coverage.hamlets_targeted,
              households: coverage.households_reached,
              failed: hamletCounts(coverage).failed,
              silent: coverage.totals.no_answer,
            })
      }${
        coverage.totals.sent > 0
          ? ` ${t('ui_sent_unconfirmed_summary', { receivers: coverage.totals.sent, hamlets: coverage.hamlets_sent_only, households: coverage.households_sent_only })}`
          : ''
      }${coverage.totals.unfinished > 0 ? ` ${t('ui_unfinished_summary', { receivers: coverage.totals.unfinished })}` : ''}${
        hamletCounts(coverage).stopped > 0
          ? ` ${t('ui_receivers_stopped', { stopped: hamletCounts(coverage).stopped })}.`
          : ''
      }</p>`
    }
  </section>`;
}

/** The desk's last send in this tab ({ id, at }), while it is recent (desk-memory.js). */
const LAST_SEND = 'tt.urgent.last_send';
const lastSend = () => recall(LAST_SEND);

/** Said under the hamlets as they are chosen: which will not hear it, which have no receiver connected now. */
function Reach({ chosen, receivers }) {
  if (!receivers || chosen.length === 0) return null;
  const { none, unreachable } = reachOf(chosen, receivers);
  return html`<div class="reach" role="status">
    ${none.length > 0 && html`<p class="warning"><strong>${t('ui_confirm_wont_hear', { names: none.join(', ') })}</strong></p>`}
    ${unreachable.length > 0 && html`<p class="warning"><strong>${t('ui_reach_none_online', { names: unreachable.join(', ') })}</strong></p>`}
  </div>`;
}

/**
 * Quiet hours on now in chosen hamlets, said before a priority item is sent there: it would be
 * refused (only an emergency sounds in them), and an official at night must not learn that only
 * after "Kiểm tra và gửi". Hamlets grouped by their window ("Thôn Đông, Thôn Nam (22:00–05:00)").
 */
function QuietNow({ chosen, receivers, priority, mayEmergency }) {
  if (priority === 'emergency') return null;
  // As the controller judges it: a hamlet with no enrolled receiver hears nothing anyway (Reach says so).
  const { none } = receivers ? reachOf(chosen, receivers) : { none: [] };
  const windows = new Map();
  for (const h of chosen.filter((x) => x.quiet_now && x.quiet_window && !none.includes(x.name))) {
    const span = `${h.quiet_window.start}–${h.quiet_window.end}`;
    windows.set(span, [...(windows.get(span) ?? []), h.name]);
  }
  if (windows.size === 0) return null;
  const where = [...windows].map(([span, names]) => `${names.join(', ')} (${span})`).join('; ');
  return html`<p class="warning quiet-now" role="status"><strong>${t('ui_quiet_now_priority', { where })}</strong>
    ${mayEmergency ? '' : ` ${t('ui_quiet_now_no_emergency_right')}`}</p>`;
}

export function Urgent({ may }) {
  const state = useLoad(async () => ({
    hamlets: await api('GET', '/api/hamlets'),
    media: await api('GET', '/api/media?scope=library'),
  }));
  // Whether quiet hours are on (QuietNow) changes with the controller's clock: the hamlets asked
  // again each minute, apart from the desk's own load, so that a failed ask keeps what was known
  // and never takes the form or the stop away.
  const [quietHamlets, setQuietHamlets] = useState(null);
  useEffect(() => {
    let live = true;
    const timer = setInterval(
      () =>
        api('GET', '/api/hamlets').then(
          (list) => live && setQuietHamlets(list),
          () => {},
        ),
      60_000,
    );
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  // Who is connected, kept fresh while the desk is open (the live link says when a receiver comes
  // or goes): the form warns before a priority item goes.
  const receivers = useLoad(() => api('GET', '/api/receivers'));
  useEffect(() => onLive('receiver', receivers.reload), []);
  const [f, setF] = useState({
    all: false,
    hamlet_ids: [],
    mode: 'text',
    text: '',
    media_id: '',
    // The lower level by default: the highest (it cuts what plays, sounds at night) is a deliberate choice.
    priority: 'priority',
    drill: false,
  });
  const [errors, setErrors] = useState({});
  const [pending, setPending] = useState(null);
  // The last send and its hamlets' tiles come back when the official returns to the desk (an
  // outsider left to read the dashboard and found the tiles gone): kept for this tab only.
  const [sent, setSent] = useState(() => lastSend()?.id ?? null);
  /** Said by the controller with a send, e.g. an emergency sent while its disk is full. */
  const [warning, setWarning] = useState(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef(null);
  /** The microphone opened before a live broadcast is sent. */
  const micRef = useRef(null);
  const [liveId, setLiveId] = useState(null);
  const [recording, setRecording] = useState(null);
  useEffect(() => {
    if (pending) confirmRef.current?.focus();
  }, [pending]);
  // A confirmation belongs to its dialog: leaving the desk withdraws it, so that requests left
  // behind do not pile up on everyone's waiting list (an outsider found three alike there).
  const pendingRef = useRef(null);
  pendingRef.current = pending;
  useEffect(() => {
    const withdraw = () => {
      const open = pendingRef.current;
      pendingRef.current = null;
      if (open?.confirmation)
        api('POST', `/api/broadcasts/confirmations/${open.confirmation.id}/cancel`, undefined, {
          keepalive: true,
        }).catch(() => {});
    };
    // A reload or a closed tab too, not only another page of the console.
    window.addEventListener('pagehide', withdraw);
    return () => {
      window.removeEventListener('pagehide', withdraw);
      withdraw();
    };
  }, []);
  /** When the last broadcast went out, by the controller's clock. */
  const [sentAt, setSentAt] = useState(() => lastSend()?.at ?? null);
  /** Said when this official's own request, waiting for a second person, leaves the waiting list. */
  const [ownGone, setOwnGone] = useState(false);
  // A request only another person may confirm (an emergency, emergency.second_person): the dialog
  // offers no confirm button (an outsider pressed it, was refused, saw the request vanish from the
  // desk while it still waited, and sent it again: two copies of one emergency), and follows the
  // waiting list until the request has left it.
  const needsAnother = Boolean(pending?.confirmation?.requires_second_person);
  // Her own request is followed until the controller says what became of it, even once its dialog
  // has lapsed and been closed: a leader may confirm it in its last seconds while the controller is
  // unreachable (an outsider closed such a dialog, was never told it went out, and asked again).
  const [followed, setFollowed] = useState(null);
  useEffect(() => {
    if (needsAnother) setFollowed(pending.confirmation.id);
  }, [pending]);
  useEffect(() => {
    if (!followed) return undefined;
    const id = followed;
    let live = true; // an answer that comes after this follow ended (she asked again) is not hers to say
    let asking = false;
    const left = (kind, who) => {
      live = false;
      clearInterval(timer);
      setFollowed((f) => (f === id ? null : f));
      if (pendingRef.current?.confirmation?.id === id) {
        pendingRef.current = null;
        setPending(null);
      }
      setOwnGone({ kind, who });
    };
    const timer = setInterval(() => {
      if (asking) return; // one question at a time on a slow link
      asking = true;
      // The controller says what became of it (confirmed, withdrawn, lapsed): nothing is guessed.
      api('GET', `/api/broadcasts/confirmations/${id}`).then(
        (s) => {
          asking = false;
          if (!live || s.state === 'waiting' || s.state === 'confirming') return;
          // Sent: shown as her own send (the form cleared, the hamlets' progress), so that she
          // does not send it a second time (an outsider did, from a form left filled).
          if (s.state === 'confirmed' && s.broadcast_id) started(s.broadcast_id, null, null, s.at);
          // Withdrawn from another of her own devices: said as hers, not in the third person.
          left(s.state === 'withdrawn' && s.by_you ? 'withdrawn_self' : s.state, s.by_name);
        },
        // Unknown to the controller (its records of it gone): it cannot say whether it was sent.
        (err) => {
          asking = false;
          if (live && err.status === 404) left('unknown');
        },
      );
    }, 2_000); // every 2 s: her desk catches up with the other leader's within moments
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [followed]);
  /** A confirmation lapses: the dialog says so instead of offering a button that can only fail. */
  const [lapsed, setLapsed] = useState(false);
  useEffect(() => {
    setLapsed(false);
    if (!pending) return undefined;
    const timer = setTimeout(
      () => setLapsed(true),
      Math.max(0, Date.parse(pending.confirmation.expires_at) - controllerNow()),
    );
    return () => clearTimeout(timer);
  }, [pending]);
  if (!state.data) return html`<h1>${t('ui_nav_urgent')}</h1><${Loading} state=${state} />`;
  const { hamlets, media } = state.data;
  // Editing a field takes its error away (the target's with the hamlets): errors stay only while true.
  const fresh = (k) => (errors[k] || errors._form) && setErrors({ ...errors, [k]: undefined, _form: undefined });
  const set = (k) => (e) => {
    fresh(k === 'all' ? 'target' : k);
    setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  };
  const toggle = (id) => {
    fresh('target');
    setF({
      ...f,
      hamlet_ids: f.hamlet_ids.includes(id) ? f.hamlet_ids.filter((x) => x !== id) : [...f.hamlet_ids, id],
    });
  };

  const prepare = async (e) => {
    e.preventDefault();
    const errs = {};
    if (!f.all && f.hamlet_ids.length === 0) errs.target = t('ui_choose_hamlets');
    if (f.mode === 'text' && !f.text.trim()) errs.text = t('ui_required');
    if (f.mode === 'file' && !f.media_id) errs.media_id = t('ui_choose_media');
    if (f.mode === 'mic' && !navigator.mediaDevices?.getUserMedia) errs._form = t('ui_mic_unavailable');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    // The microphone is opened (and found to give sound) before anything is sent: a denied or silent
    // microphone must not put an empty live stream on the speakers at emergency level.
    if (f.mode === 'mic') {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        if (!stream.getAudioTracks().some((track) => track.readyState === 'live'))
          throw new Error('no live audio track');
        micRef.current = stream;
      } catch (err) {
        // No microphone at all is not the same as a refused permission: say which, and what to do.
        setErrors({ _form: t(err && err.name === 'NotFoundError' ? 'ui_mic_missing' : 'ui_mic_denied') });
        setBusy(false);
        return;
      }
    }
    try {
      let content;
      if (f.mode === 'mic') {
        const session = await api('POST', '/api/live', { title: t('ui_live_title') });
        setLiveId(session.id);
        content = { live_id: session.id };
      } else if (f.mode === 'text') {
        const res = await api('POST', '/api/tts/preview', { text: f.text, repeat: 1 }, { raw: true });
        content = { media_id: res.headers.get('x-media-id') };
      } else content = { media_id: f.media_id };
      const body = {
        ...content,
        target: f.all ? { all: true } : { hamlet_ids: f.hamlet_ids },
        priority: f.priority,
        drill: f.drill,
      };
      setOwnGone(false);
      const answer = await api('POST', '/api/broadcasts', body);
      // A live voice waiting minutes for another leader would go on the air at emergency level
      // with nobody speaking: the desk withdraws it and says why.
      if (answer.confirmation?.requires_second_person && content.live_id) {
        await api('POST', `/api/broadcasts/confirmations/${answer.confirmation.id}/cancel`).catch(() => {});
        await api('POST', `/api/live/${content.live_id}/stop`).catch(() => {});
        releaseMic();
        setErrors({ _form: t('ui_mic_second_person') });
      } else if (answer.confirmation) setPending(answer);
      else started(answer.id, content.live_id, answer.warning);
    } catch (err) {
      releaseMic();
      setErrors({ _form: err.message });
    } finally {
      setBusy(false);
    }
  };
  /** Closes the microphone opened for a live broadcast that will not go (refused, cancelled). */
  const releaseMic = () => {
    micRef.current?.getTracks().forEach((track) => track.stop());
    micRef.current = null;
  };
  const cancel = async () => {
    const open = pending;
    setPending(null);
    releaseMic();
    // Withdrawn on the controller too: it must not wait on anyone's desk to be confirmed later.
    if (open?.confirmation)
      await api('POST', `/api/broadcasts/confirmations/${open.confirmation.id}/cancel`).catch(() => {});
    if (liveId) await api('POST', `/api/live/${liveId}/stop`).catch(() => {});
  };
  /** Her own request that waits for another leader, withdrawn: a refusal is said (it may have been confirmed a moment ago). */
  const withdrawOwn = async () => {
    const open = pending;
    setPending(null);
    if (lapsed) return; // still followed: the controller says what became of it
    setFollowed(null); // her own withdrawal: not said back to her as one from another device
    try {
      await api('POST', `/api/broadcasts/confirmations/${open.confirmation.id}/cancel`);
      setOwnGone({ kind: 'withdrawn_here' });
    } catch (err) {
      setErrors({ _form: err.message });
      setFollowed(open.confirmation.id); // refused (confirmed a moment ago?): the controller says what became of it
    }
  };
  const confirm = async () => {
    setBusy(true);
    try {
      const b = await api('POST', pending.confirmation.confirm_url);
      setPending(null);
      started(b.id, liveId, b.warning);
    } catch (err) {
      setErrors({ _form: err.message });
      setPending(null);
      releaseMic();
    } finally {
      setBusy(false);
    }
  };
  /** The broadcast is out: with a microphone, recording starts now and its pieces follow. */
  /** `at`: when it was sent, if not now (another leader confirmed it a moment ago). */
  const started = async (broadcastId, live, said, at) => {
    const sentNow = at ? Date.parse(at) : controllerNow();
    setSent(broadcastId);
    setSentAt(sentNow);
    keep(LAST_SEND, { id: broadcastId, at: sentNow });
    // Sent: the words are cleared, so that a second tap does not send it again.
    setF((form) => ({ ...form, text: '', media_id: '' }));
    setWarning(said ? (lang() === 'en' ? said.message_en : said.message) : null);
    if (!live) return;
    try {
      const stream = micRef.current ?? (await navigator.mediaDevices.getUserMedia({ audio: true }));
      micRef.current = null;
      const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' });
      let seq = 0;
      let chain = Promise.resolve();
      recorder.ondataavailable = (e) => {
        if (!e.data.size) return;
        const n = seq++;
        chain = chain
          .then(() => api('POST', `/api/live/${live}/chunks/${n}`, e.data))
          .catch((err) => setErrors({ _form: err.message }));
      };
      recorder.onstop = async () => {
        stream.getTracks().forEach((track) => track.stop());
        await chain;
        await api('POST', `/api/live/${live}/finish`).catch((err) => setErrors({ _form: err.message }));
        setRecording(null);
      };
      recorder.start(250);
      setRecording(recorder);
    } catch {
      setErrors({ _form: t('ui_mic_denied') });
      await api('POST', `/api/live/${live}/stop`).catch(() => {});
    }
  };

  return html`<h1>${t('ui_nav_urgent')}</h1>
    <${StopPanel} may=${may} hamlets=${hamlets} chosen=${f.all ? null : f.hamlet_ids} sent=${sentAt} />
    <${Waiting} may=${may} hamlets=${hamlets} open=${pending?.confirmation?.id} onSent=${(id, said) => started(id, null, said)} />
    ${f.drill && html`<p class="drill-banner" role="status">${t('ui_drill_banner')}</p>`}
    <div class="urgent-panel ${f.drill ? 'is-drill' : 'is-live'}">
      <form onSubmit=${prepare} noValidate aria-labelledby="ur-h">
        <h2 id="ur-h">${f.drill ? t('ui_urgent_drill_title') : t('ui_urgent_title')}</h2>
        <fieldset><legend>${t('ui_where')}</legend>
          <label class="inline big-check"><input type="checkbox" name="all" checked=${f.all} onChange=${set('all')} /> ${t('ui_whole_commune')}</label>
          ${!f.all && hamlets.map((h) => html`<label class="inline big-check"><input type="checkbox" name="hamlet" value=${h.id} checked=${f.hamlet_ids.includes(h.id)} onChange=${() => toggle(h.id)} /> ${h.name}</label>`)}
          ${errors.target && html`<p class="error" role="alert">${errors.target}</p>`}
          <${Reach} chosen=${f.all ? hamlets : hamlets.filter((h) => f.hamlet_ids.includes(h.id))} receivers=${receivers.data} />
        </fieldset>
        <fieldset><legend>${t('ui_what')}</legend>
          <label class="inline"><input type="radio" name="mode" value="text" checked=${f.mode === 'text'} onChange=${set('mode')} /> ${t('ui_mode_text')}</label>
          <label class="inline"><input type="radio" name="mode" value="file" checked=${f.mode === 'file'} onChange=${set('mode')} /> ${t('ui_mode_file')}</label>
          <label class="inline"><input type="radio" name="mode" value="mic" checked=${f.mode === 'mic'} onChange=${set('mode')} /> ${t('ui_mode_mic')}</label>
        </fieldset>
        ${
          f.mode === 'mic'
            ? html`<p class="hint">${t('ui_mic_hint')}</p>`
            : f.mode === 'text'
              ? html`<${Field} label=${t('ui_announcement_text')} error=${errors.text}>${(a) => html`<textarea ...${a} name="text" rows="5" value=${f.text} onInput=${set('text')}></textarea>`}<//>`
              : html`<${Field} label=${t('ui_audio_file')} error=${errors.media_id}>${(a) => html`<select ...${a} name="media_id" value=${f.media_id} onChange=${set('media_id')}><option value="">${t('ui_choose')}</option>${media.filter((m) => m.status === 'ready').map((m) => html`<option value=${m.id}>${m.bulletin_title ?? m.title}</option>`)}</select>`}<//>`
        }
        <${Field} label=${t('ui_priority')}>${(
          a,
        ) => html`<select ...${a} name="priority" value=${f.priority} onChange=${set('priority')}>
          <option value="priority">${priorityLabel('priority')}</option>
          ${may('broadcast:emergency') && html`<option value="emergency">${priorityLabel('emergency')}</option>`}</select>`}<//>
        <${QuietNow} chosen=${(quietHamlets ?? hamlets).filter((h) => f.all || f.hamlet_ids.includes(h.id))} receivers=${receivers.data} priority=${f.priority} mayEmergency=${may('broadcast:emergency')} />
        <label class="inline"><input type="checkbox" name="drill" checked=${f.drill} onChange=${set('drill')} /> ${t('ui_drill')}</label>
        ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
        <div class="actions"><button type="submit" class="danger big" disabled=${busy || Boolean(pending)}>${t('ui_prepare_send')}</button></div>
        ${busy && !pending && html`<p role="status" class="hint">${t('ui_preparing')}</p>`}
      </form>
      ${
        pending &&
        html`<div class="confirm" role="alertdialog" aria-labelledby="cf-h" aria-describedby="cf-d" tabindex="-1" ref=${needsAnother ? confirmRef : undefined}>
        <h2 id="cf-h">${t(!needsAnother ? 'ui_confirm_title' : lapsed ? 'ui_confirm_other_lapsed_title' : 'ui_confirm_waiting_other_title')}</h2>
        <p><strong>${lang() === 'en' ? pending.confirmation.summary_en : pending.confirmation.summary}</strong></p>
        <${Similar} similar=${pending.confirmation.similar} />
        ${f.priority === 'emergency' && html`<p class="warning">${t('ui_confirm_emergency_effects')}</p>`}
        <p id="cf-d">${t('ui_confirm_where', { receivers: pending.confirmation.where.hamlets.reduce((n, h) => n + h.receivers, 0), hamlets: pending.confirmation.where.hamlets.filter((h) => h.receivers > 0).length })}</p>
        <${Where} where=${pending.confirmation.where} />
        ${pending.confirmation.listen_url && html`<p><audio controls preload="metadata" src=${pending.confirmation.listen_url} aria-label=${t('ui_confirm_listen')}></audio></p>`}
        <${Countdown} until=${pending.confirmation.expires_at} />
        ${pending.confirmation.requires_second_person && html`<p>${t('second_person_required')}</p>`}
        ${lapsed && html`<p class="error" role="alert">${t(needsAnother ? 'ui_confirmation_lapsed_other' : 'ui_confirmation_lapsed')}</p>`}
        ${
          needsAnother
            ? html`<div class="actions"><button type="button" onClick=${withdrawOwn}>${t(lapsed ? 'ui_close' : 'ui_withdraw_request')}</button></div>`
            : html`<div class="actions"><button type="button" class="danger big" ref=${confirmRef} onClick=${confirm} disabled=${busy || lapsed}>${t('ui_confirm_send')}</button>
        <button type="button" onClick=${cancel}>${t('ui_cancel')}</button></div>`
        }</div>`
      }
      ${
        recording &&
        html`<div class="live-now" role="status"><p><strong>${t('ui_on_air')}</strong> ${t('ui_speak_now')}</p>
        <button type="button" class="danger big" onClick=${() => recording.stop()}>${t('ui_end_live')}</button></div>`
      }
    </div>
    ${ownGone && html`<p class="warning" role="status">${t(`ui_own_request_${ownGone.kind}`, { who: ownGone.who ?? '' })}</p>`}
    ${warning && html`<p class="error" role="alert">${warning}</p>`}
    ${sent && html`<p role="status">${t('ui_sent_now', { time: when(new Date(sentAt).toISOString(), false, true) })} <a href=${`#/coverage/${sent}`}>${t('ui_nav_coverage')}</a></p>`}
    ${sent && html`<${Progress} broadcastId=${sent} hamlets=${hamlets} />`}`;
}

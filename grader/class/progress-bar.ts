// Progress of a class grade: a bar redrawn in place on a terminal (done / total, who is being graded,
// time left), one line per finished submission otherwise.
export interface ProgressBar {
  started(learner: string): void;
  finished(learner: string, line: string): void;
  end(): void;
}

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
};

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const tty = stream.isTTY === true;
  const active = new Set<string>();
  const begun = performance.now();
  let done = 0;
  const eta = () => {
    if (done === 0) return 'estimating';
    const perSubmission = (performance.now() - begun) / done;
    return `about ${clock(perSubmission * (total - done))} left`;
  };
  const draw = () => {
    if (!tty) return;
    const width = 24;
    const filled = Math.round((done / Math.max(1, total)) * width);
    const who = [...active].join(', ');
    const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} · ${eta()}${who ? ` · grading ${who}` : ''}`;
    stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 100) - 1)}`);
  };
  return {
    started(learner) {
      active.add(learner);
      draw();
    },
    finished(learner, line) {
      active.delete(learner);
      done++;
      if (tty) stream.write('\r\x1b[2K');
      stream.write(`[${done}/${total}] ${line}\n`);
      draw();
    },
    end() {
      if (tty) stream.write('\r\x1b[2K');
      stream.write(`Graded ${done} submission(s) in ${clock(performance.now() - begun)}.\n`);
    },
  };
}

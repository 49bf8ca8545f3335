// A clock that ticks once a second, for "polled 3s ago" and the retry countdown.
import {useEffect, useState} from 'react';

export function useNow(clock: () => number, everyMs = 1000): number {
	const [now, setNow] = useState(clock);
	useEffect(() => {
		const timer = setInterval(() => setNow(clock()), everyMs);
		return () => clearInterval(timer);
	}, [clock, everyMs]);
	return now;
}
